import Foundation
import GRDB
import JSONSupport

/// Which versions of each label an annotation export holds.
public enum LabelVersions: String, Sendable, Hashable, CaseIterable {
    /// Every label's current value (what training uses).
    case latest
    /// Every label's current value and, in `revisions`, each earlier version it replaced.
    case all
}

/// One page of an annotation export: native JSON Lines of consecutive task comparisons.
public struct AnnotationExportPage: Sendable, Hashable {
    /// The page's lines, each ending in a newline.
    public var bytes: [UInt8]
    /// How many lines.
    public var lines: Int
    /// The comparison the next page starts after; nil when this page was the last.
    public var nextAfter: ComparisonID?
}

/// Writes the annotation tasks with their labels as native JSON Lines, a page of comparisons at a time, so an export
/// of any size needs the memory of one page (the whole-store exporter reads every judgement up front).
enum AnnotationExport {
    /// Task comparisons per page.
    static let pageSize = 200

    /// Emits, one line at a time, the task comparisons with ids above `after` (at most `limit`, in id order) with
    /// their judgements; returns the number of lines and the last comparison written (nil if none).
    static func page(
        _ db: Database, after: ComparisonID?, limit: Int, versions: LabelVersions,
        emit: ([UInt8]) throws -> Void
    ) throws -> (lines: Int, last: ComparisonID?) {
        let comparisons = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT c.id AS comparison_id, c.prompt_id,
                           ra.id AS a_id, ra.text AS a_text, ra.model AS a_model, ra.token_count AS a_tokens, ra.char_count AS a_chars,
                           rb.id AS b_id, rb.text AS b_text, rb.model AS b_model, rb.token_count AS b_tokens, rb.char_count AS b_chars
                    FROM annotation_task t
                    JOIN comparison c ON c.id = t.comparison_id
                    JOIN response ra ON ra.id = c.response_a_id
                    JOIN response rb ON rb.id = c.response_b_id
                    WHERE c.id > ?
                    ORDER BY c.id LIMIT ?
                    """), arguments: [after?.rawValue ?? 0, max(1, limit)])
        guard let firstRow = comparisons.first, let lastRow = comparisons.last else { return (0, nil) }
        let range: StatementArguments = [firstRow["comparison_id"] as Int64, lastRow["comparison_id"] as Int64]

        var revisions: [JudgementID: [LabelRevision]] = [:]
        if versions == .all {
            for row in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT r.* FROM label_revision r JOIN judgement j ON j.id = r.judgement_id
                        WHERE j.comparison_id BETWEEN ? AND ? ORDER BY r.judgement_id, r.id
                        """), arguments: range)
            {
                let revision = LabelRevision(row: row)
                revisions[revision.labelID, default: []].append(revision)
            }
        }
        var judgements: [ComparisonID: [NativeFormat.ExportedJudgement]] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT j.*, a.name AS annotator_name, a.kind AS annotator_kind
                    FROM judgement j JOIN annotator a ON a.id = j.annotator_id
                    WHERE j.comparison_id BETWEEN ? AND ? ORDER BY j.comparison_id, j.occurrence, j.id
                    """), arguments: range)
        {
            let judgement = Judgement(row: row)
            judgements[judgement.comparisonID, default: []].append(
                NativeFormat.ExportedJudgement(
                    judgement: judgement, annotatorName: row["annotator_name"],
                    annotatorKind: AnnotatorKind(rawValue: row["annotator_kind"]) ?? .human,
                    revisions: versions == .all ? revisions[judgement.id] ?? [] : nil))
        }
        var prompts: [PromptID: Prompt] = [:]
        for prompt in try Prompt.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT * FROM prompt WHERE id IN (SELECT prompt_id FROM comparison WHERE id BETWEEN ? AND ?)
                    """), arguments: range)
        {
            prompts[prompt.id] = prompt
        }

        var writer = JSONWriter()
        for row in comparisons {
            let promptID: PromptID = row["prompt_id"]
            guard let prompt = prompts[promptID] else { continue }
            let responses = ["a", "b"].map { side in
                Response(
                    id: row["\(side)_id"], promptID: promptID, text: row["\(side)_text"], model: row["\(side)_model"],
                    tokenCount: row["\(side)_tokens"], characterCount: row["\(side)_chars"])
            }
            writer.reset()
            writer.write(
                NativeFormat.encode(
                    prompt: prompt, responseA: responses[0], responseB: responses[1],
                    judgements: judgements[row["comparison_id"]] ?? []))
            writer.append(raw: 0x0A)
            try emit(writer.bytes)
        }
        return (comparisons.count, lastRow["comparison_id"])
    }
}

extension PreferenceStore {
    /// The annotation export's page after comparison `after` (nil: the first page): at most `limit` task
    /// comparisons with their labels, in `versions`. Each page is read in its own transaction, so a label given
    /// while a caller pages through may or may not appear; every line is consistent in itself.
    public func annotationExportPage(
        after: ComparisonID? = nil, limit: Int = 200,
        versions: LabelVersions = .latest
    ) async throws -> AnnotationExportPage {
        try await readAsync { db in
            var bytes: [UInt8] = []
            let (lines, last) = try AnnotationExport.page(db, after: after, limit: limit, versions: versions) {
                bytes.append(contentsOf: $0)
            }
            return AnnotationExportPage(bytes: bytes, lines: lines, nextAfter: lines == max(1, limit) ? last : nil)
        }
    }

    /// Writes the annotation tasks with their labels (in `versions`) to `path` as native JSON Lines, line by line
    /// into a temporary file renamed into place when complete (`-`: standard output), from one snapshot of the
    /// store. Returns the number of lines.
    @discardableResult
    public func exportAnnotations(to path: String, versions: LabelVersions = .latest) throws -> Int {
        try writingExport(to: path) { output in
            try read { db in
                var total = 0
                var after: ComparisonID?
                while true {
                    let (lines, last) = try AnnotationExport.page(
                        db, after: after, limit: AnnotationExport.pageSize,
                        versions: versions, emit: { try output.write($0) })
                    total += lines
                    guard lines == AnnotationExport.pageSize, let last else { return total }
                    after = last
                }
            }
        }
    }

    /// The earlier versions of label `id`, oldest first (empty if it was never corrected).
    public func revisions(ofLabel id: JudgementID) throws -> [LabelRevision] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM label_revision WHERE judgement_id = ? ORDER BY id", arguments: [id]
            )
            .map(LabelRevision.init(row:))
        }
    }
}
