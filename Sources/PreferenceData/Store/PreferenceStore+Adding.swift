import Foundation
import GRDB

/// What adding records to the store did.
public struct IngestReport: Sendable, Hashable {
    /// Records accepted.
    public var records = 0
    /// New prompts (others were already stored).
    public var promptsAdded = 0
    /// New responses.
    public var responsesAdded = 0
    /// New comparisons.
    public var comparisonsAdded = 0
    /// New judgements.
    public var judgementsAdded = 0
    /// Judgements identical to ones already stored (e.g. a file imported twice), not added again.
    public var judgementsAlreadyPresent = 0
    /// New annotators.
    public var annotatorsAdded = 0
    /// Records left out (only when skipping invalid records), by index in the input, with the reason.
    public var rejected: [RecordRejection] = []

    /// Creates an empty report.
    public init() {}
}

/// A record that was not added, and why.
public struct RecordRejection: Sendable, Hashable {
    /// Index of the record in the input.
    public var index: Int
    /// What is wrong with it.
    public var problem: String
}

/// Where imported records came from, kept in the store's import log.
package struct ImportProvenance: Sendable {
    var file: String
    var format: String
    var source: String?
    var lines: Int
    var skippedLines: Int
}

extension PreferenceStore {
    /// Adds `records` in one transaction.
    ///
    /// Prompts, responses and comparisons already stored are reused. A judgement identical to a stored one in the same
    /// slot (same comparison, annotator and occurrence; its time aside) is counted as already present, so adding the
    /// same data twice changes nothing; one that differs is a conflict. A person or model judges a comparison at most once; a dataset
    /// annotator's n-th judgement of a comparison within one call is its occurrence n.
    ///
    /// - Parameter skipInvalid: if false (the default), the first invalid or conflicting record throws
    ///   `PreferenceDataError.invalidRecord` and nothing is added; if true, such records are left out and listed in
    ///   the report's `rejected`.
    @discardableResult
    public func add(_ records: [PreferenceRecord], skipInvalid: Bool = false) throws -> IngestReport {
        try add(records, skipInvalid: skipInvalid, provenance: nil)
    }

    /// `add(_:skipInvalid:)`, logging the import in the same transaction when `provenance` is given.
    package func add(_ records: [PreferenceRecord], skipInvalid: Bool, provenance: ImportProvenance?) throws
        -> IngestReport
    {
        try write { db in
            let session = IngestSession(db, now: Timestamp.string(from: Date()))
            for (index, record) in records.enumerated() {
                do {
                    if skipInvalid {
                        try session.addInSavepoint(record)
                    } else {
                        try session.add(record)
                    }
                } catch let rejection as RecordProblem {
                    if !skipInvalid {
                        throw PreferenceDataError.invalidRecord(index: index, problem: rejection.problem)
                    }
                    session.report.rejected.append(RecordRejection(index: index, problem: rejection.problem))
                }
            }
            if let provenance {
                try db.execute(
                    sql: """
                        INSERT INTO import_log (file, format, source, lines, records, skipped, judgements_added, imported_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        provenance.file, provenance.format, provenance.source, provenance.lines,
                        session.report.records, provenance.skippedLines + session.report.rejected.count,
                        session.report.judgementsAdded, session.now,
                    ])
            }
            return session.report
        }
    }

    /// Adds one judgement of a stored comparison, e.g. an annotator's answer to a task. Choices and scores refer to
    /// the comparison's stored responses A and B. Returns false if the same judgement is already stored; throws
    /// `conflict` if the annotator (a person or model) already judged it differently, `notFound` for an unknown
    /// comparison.
    @discardableResult
    public func addJudgement(_ judgement: JudgementDraft, to comparison: ComparisonID) throws -> Bool {
        let record = PreferenceRecord(
            prompt: PromptDraft(text: "-"), responses: [ResponseDraft(text: "a"), ResponseDraft(text: "b")],
            comparisons: [ComparisonDraft(responseA: 0, responseB: 1, judgements: [judgement])])
        if let problem = record.problem() { throw PreferenceDataError.invalidArgument(problem) }
        return try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM comparison WHERE id = ?", arguments: [comparison]) != nil
            else {
                throw PreferenceDataError.notFound("comparison \(comparison) is not in the store")
            }
            do {
                return try IngestSession(db, now: Timestamp.string(from: Date())).addJudgement(
                    judgement, to: comparison)
            } catch let problem as RecordProblem {
                throw PreferenceDataError.conflict(problem.problem)
            }
        }
    }

    /// Adds an annotator, or returns the existing one of that name if it has the same kind.
    /// - Parameter tokenHash: a hash of the annotator's access token (never the token); replaces a stored one if given.
    @discardableResult
    public func addAnnotator(name: String, kind: AnnotatorKind, tokenHash: String? = nil) throws -> Annotator {
        guard !name.allSatisfy(\.isWhitespace) else {
            throw PreferenceDataError.invalidArgument("annotator name is empty")
        }
        return try write { db in
            if let existing = try Annotator.fetchOne(
                db, sql: "SELECT * FROM annotator WHERE name = ?", arguments: [name])
            {
                guard existing.kind == kind else {
                    throw PreferenceDataError.conflict(
                        "annotator \"\(name)\" exists as \(existing.kind.rawValue), not \(kind.rawValue)")
                }
                if let tokenHash {
                    try db.execute(
                        sql: "UPDATE annotator SET token_hash = ? WHERE id = ?", arguments: [tokenHash, existing.id])
                }
                return try Annotator.fetchOne(
                    db, sql: "SELECT * FROM annotator WHERE id = ?", arguments: [existing.id])!
            }
            try db.execute(
                sql: "INSERT INTO annotator (name, kind, token_hash, created_at) VALUES (?, ?, ?, ?)",
                arguments: [name, kind.rawValue, tokenHash, Timestamp.string(from: Date())])
            return try Annotator.fetchOne(
                db, sql: "SELECT * FROM annotator WHERE id = ?", arguments: [db.lastInsertedRowID])!
        }
    }
}

/// Why a record cannot be added (it is invalid, or conflicts with stored judgements).
struct RecordProblem: Error {
    var problem: String
    init(_ problem: String) { self.problem = problem }
}
