import GRDB
import JSONSupport

/// Writes pairs and whole stores as JSON Lines. Files are written under a temporary name and renamed into place,
/// so a failed export leaves no partial file; the path `-` writes to standard output.
public enum JSONLinesExporter {
    /// Writes resolved pairs as `pairs` or `hh` lines; returns the number written.
    @discardableResult
    public static func write(_ pairs: [PreferencePair], format: RecordFormat, to path: String) throws -> Int {
        let encode = try encoder(format)
        return try writingExport(to: path) { output in
            var writer = JSONWriter()
            for pair in pairs {
                writer.reset()
                writer.write(encode(pair))
                writer.append(raw: 0x0A)
                try output.write(writer.bytes)
            }
            return pairs.count
        }
    }

    /// Resolved pairs as `pairs` or `hh` lines in memory, each ending in a newline (e.g. a chunk of a streamed
    /// response).
    public static func lines(_ pairs: [PreferencePair], format: RecordFormat) throws -> [UInt8] {
        let encode = try encoder(format)
        var writer = JSONWriter()
        for pair in pairs {
            writer.write(encode(pair))
            writer.append(raw: 0x0A)
        }
        return writer.bytes
    }

    /// The line encoder of a pair format; `invalidArgument` for the formats pairs are not written in.
    private static func encoder(_ format: RecordFormat) throws -> (PreferencePair) -> JSONValue {
        switch format {
        case .pairs: return PairsFormat.encode
        case .hh: return HHFormat.encode
        case .rated, .native:
            throw PreferenceDataError.invalidArgument("pairs are written as pairs or hh lines, not \(format.rawValue)")
        }
    }

    /// Writes the store in the native format: every comparison with all its judgements, then prompts that have no
    /// comparison; or only the comparisons of split `split`. Returns the number of lines written.
    @discardableResult
    public static func exportNative(from store: PreferenceStore, split: String? = nil, to path: String) throws -> Int {
        try exportNative(from: store, scope: split.map { .split($0) } ?? .all, to: path)
    }

    /// Writes the comparisons `scope` selects in the native format to `path` (`-`: standard output). Returns the
    /// number of lines written.
    @discardableResult
    public static func exportNative(from store: PreferenceStore, scope: NativeExportScope, to path: String) throws
        -> Int
    {
        if case .split(let name) = scope { _ = try store.entries(inSplit: name) }  // a clear error for an unknown split
        return try writingExport(to: path) { output in
            try store.read { db in try writeNative(db, scope: scope) { try output.write($0) } }
        }
    }

    /// The native lines of the comparisons `scope` selects, in memory (e.g. for a server's response), and their count.
    public static func nativeLines(from store: PreferenceStore, scope: NativeExportScope) async throws -> (
        bytes: [UInt8], lines: Int
    ) {
        if case .split(let name) = scope { _ = try store.entries(inSplit: name) }
        return try await store.readAsync { db in
            var bytes: [UInt8] = []
            let lines = try writeNative(db, scope: scope) { bytes.append(contentsOf: $0) }
            return (bytes, lines)
        }
    }

    /// Writes the native lines of `scope` through `emit`, reading one snapshot; returns the number of lines.
    static func writeNative(_ db: Database, scope: NativeExportScope, to emit: ([UInt8]) throws -> Void) throws -> Int {
        let filter: String
        var arguments = StatementArguments()
        switch scope {
        case .all:
            filter = ""
        case .split(let name):
            filter =
                "WHERE c.id IN (SELECT sp.comparison_id FROM split_pair sp JOIN split s ON s.id = sp.split_id WHERE s.name = ?)"
            arguments = [name]
        case .annotationTasks:
            filter = "WHERE c.id IN (SELECT comparison_id FROM annotation_task)"
        }
        var judgements: [ComparisonID: [NativeFormat.ExportedJudgement]] = [:]
        let judgementRows = try Row.fetchCursor(
            db,
            sql: """
                SELECT j.*, a.name AS annotator_name, a.kind AS annotator_kind
                FROM judgement j JOIN annotator a ON a.id = j.annotator_id
                \(filter.isEmpty ? "" : "JOIN comparison c ON c.id = j.comparison_id " + filter)
                ORDER BY j.comparison_id, j.occurrence, j.id
                """, arguments: arguments)
        while let row = try judgementRows.next() {
            let judgement = Judgement(row: row)
            judgements[judgement.comparisonID, default: []].append(
                NativeFormat.ExportedJudgement(
                    judgement: judgement, annotatorName: row["annotator_name"],
                    annotatorKind: AnnotatorKind(rawValue: row["annotator_kind"]) ?? .human))
        }
        var prompts: [PromptID: Prompt] = [:]
        for prompt in try Prompt.fetchAll(db, sql: "SELECT * FROM prompt") { prompts[prompt.id] = prompt }

        var writer = JSONWriter()
        var count = 0
        func emitLine(_ value: JSONValue) throws {
            writer.reset()
            writer.write(value)
            writer.append(raw: 0x0A)
            try emit(writer.bytes)
            count += 1
        }
        let comparisons = try Row.fetchCursor(
            db,
            sql: """
                SELECT c.id AS comparison_id, c.prompt_id,
                       ra.id AS a_id, ra.text AS a_text, ra.model AS a_model, ra.token_count AS a_tokens, ra.char_count AS a_chars,
                       rb.id AS b_id, rb.text AS b_text, rb.model AS b_model, rb.token_count AS b_tokens, rb.char_count AS b_chars
                FROM comparison c
                JOIN response ra ON ra.id = c.response_a_id
                JOIN response rb ON rb.id = c.response_b_id
                \(filter)
                ORDER BY c.id
                """, arguments: arguments)
        while let row = try comparisons.next() {
            let promptID: PromptID = row["prompt_id"]
            let responses = ["a", "b"].map { side in
                Response(
                    id: row["\(side)_id"], promptID: promptID, text: row["\(side)_text"], model: row["\(side)_model"],
                    tokenCount: row["\(side)_tokens"], characterCount: row["\(side)_chars"])
            }
            try emitLine(
                NativeFormat.encode(
                    prompt: prompts[promptID]!, responseA: responses[0], responseB: responses[1],
                    judgements: judgements[row["comparison_id"]] ?? []))
        }
        if scope == .all {
            for prompt in try Prompt.fetchAll(
                db,
                sql: """
                    SELECT * FROM prompt WHERE id NOT IN (SELECT prompt_id FROM comparison) ORDER BY id
                    """)
            {
                try emitLine(NativeFormat.encode(prompt: prompt, responseA: nil, responseB: nil, judgements: []))
            }
        }
        return count
    }
}

/// Which comparisons a native export holds.
public enum NativeExportScope: Sendable, Hashable {
    /// Every comparison, then the prompts that have none.
    case all
    /// The comparisons of the named split.
    case split(String)
    /// The comparisons that are annotation tasks, with every judgement (a task not yet labelled has none).
    case annotationTasks
}
