import Foundation
import GRDB

/// The annotation workflow: tasks made from response pairs, handed out to people under a lease, and their labels.
///
/// The methods a server calls per request are async: the SQLite work runs on the store's own queues while the
/// caller is suspended. Each write is one transaction, committed before the method returns.
extension PreferenceStore {
    /// Makes comparisons of response pairs and annotation tasks of comparisons, as `options` say. Existing tasks are
    /// left as they are. Throws `notFound` for an unknown prompt id, `invalidArgument` for fewer than 1 label per task.
    @discardableResult
    public func createTasks(_ options: TaskCreationOptions = TaskCreationOptions(), now: Date = Date()) throws
        -> TaskCreationReport
    {
        try write { try TaskCreation.create($0, options: options, now: now) }
    }

    /// `createTasks(_:now:)` for async callers.
    @discardableResult
    public func createTasks(_ options: TaskCreationOptions = TaskCreationOptions(), now: Date = Date()) async throws
        -> TaskCreationReport
    {
        try await writeAsync { try TaskCreation.create($0, options: options, now: now) }
    }

    /// The task to give `annotator` now (see `TaskLeasing`): the one they hold, or a new one leased to them for
    /// `leaseDuration` seconds; nil when nothing is left for them. With `goldRate` above 0 about that share of new
    /// tasks are gold tasks they have not answered yet (never the only ones left).
    public func nextTask(
        for annotator: AnnotatorID, leaseDuration: TimeInterval, now: Date = Date(), goldRate: Double = 0
    ) async throws -> TaskAssignment? {
        try await writeAsync {
            try TaskLeasing.lease($0, annotator: annotator, now: now, duration: leaseDuration, goldRate: goldRate)
        }
    }

    /// Extends `annotator`'s lease of `task` by `leaseDuration` seconds from `now` (a heartbeat of an open page) and
    /// returns the new expiry. Throws `notFound` for an unknown task, `conflict` if they hold no unexpired lease of it.
    public func renewLease(
        of task: AnnotationTaskID, for annotator: AnnotatorID, leaseDuration: TimeInterval,
        now: Date = Date()
    ) async throws -> Date {
        try await writeAsync {
            try TaskLeasing.renew($0, task: task, annotator: annotator, now: now, duration: leaseDuration)
        }
    }

    /// Records that `annotator` skipped `task`: their lease is released and the task is never handed to them again.
    /// Throws `notFound` for an unknown task, `conflict` if they already labelled it.
    public func skipTask(_ task: AnnotationTaskID, for annotator: AnnotatorID, now: Date = Date()) async throws {
        try await writeAsync { try TaskSkipping.skip($0, task: task, annotator: annotator, now: now) }
    }

    /// The content of `task` as `annotator` would be shown it, its `leaseExpiresAt` their lease's expiry, or `now`
    /// when they hold no unexpired lease; nil for an unknown task. Leases nothing.
    public func assignment(of task: AnnotationTaskID, for annotator: AnnotatorID, now: Date = Date()) async throws
        -> TaskAssignment?
    {
        try await readAsync { try TaskLeasing.content($0, task: task, annotator: annotator, now: now) }
    }

    /// Records `label` as `annotator`'s judgement of `task` and releases their lease. Only the holder of an unexpired
    /// lease may label a task (it was handed to them, so they saw it). Throws `notFound` for an unknown task,
    /// `conflict` if they already labelled it or hold no unexpired lease of it; nothing is stored then.
    /// `shownSwapped` records whether they saw the stored B as "A" (for the position-bias statistics; nil: unknown).
    public func submitLabel(
        _ label: LabelDraft, task: AnnotationTaskID, annotator: AnnotatorID,
        now: Date = Date(), shownSwapped: Bool? = nil
    ) async throws -> AnnotationLabel {
        try await writeAsync {
            try TaskLeasing.submit(
                $0, label: label, task: task, annotator: annotator, now: now, shownSwapped: shownSwapped)
        }
    }

    /// `annotator`'s labels with ids above `after`, oldest first, at most `limit`.
    public func labels(of annotator: AnnotatorID, after: JudgementID? = nil, limit: Int = 100) async throws
        -> [AnnotationLabel]
    {
        try await readAsync { try LabelQueries.labels($0, annotator: annotator, after: after, limit: limit) }
    }

    /// The label `id`, if `annotator` gave it (another's label is not found).
    public func label(_ id: JudgementID, of annotator: AnnotatorID) async throws -> AnnotationLabel? {
        try await readAsync { try LabelQueries.label($0, id: id, annotator: annotator) }
    }

    /// Replaces `annotator`'s label `id`, keeping the replaced values as a revision (`revisions(ofLabel:)`); needs no
    /// lease. Throws `notFound` if it is not theirs or does not exist.
    public func updateLabel(
        _ id: JudgementID, of annotator: AnnotatorID, to label: LabelDraft,
        now: Date = Date()
    ) async throws -> AnnotationLabel {
        try await writeAsync { try LabelQueries.update($0, id: id, annotator: annotator, label: label, now: now) }
    }

    /// How many tasks `annotator` labelled, and how many open tasks they could still label.
    public func labelCounts(of annotator: AnnotatorID) async throws -> (labelled: Int, open: Int) {
        try await readAsync { try LabelQueries.counts($0, annotator: annotator) }
    }

    /// The progress of the whole annotation.
    public func annotationProgress(now: Date = Date()) throws -> AnnotationProgress {
        try read { try LabelQueries.progress($0, now: now) }
    }

    /// `annotationProgress(now:)` for async callers.
    public func annotationProgress(now: Date = Date()) async throws -> AnnotationProgress {
        try await readAsync { try LabelQueries.progress($0, now: now) }
    }

    /// The task `id`, if any.
    public func task(_ id: AnnotationTaskID) throws -> AnnotationTask? {
        try read { try AnnotationTask.fetchOne($0, sql: "SELECT * FROM annotation_task WHERE id = ?", arguments: [id]) }
    }

    /// Every task, by id.
    public func tasks() throws -> [AnnotationTask] {
        try read { try AnnotationTask.fetchAll($0, sql: "SELECT * FROM annotation_task ORDER BY id") }
    }

    /// Returns if the store can be read (a health check); throws the store's error otherwise.
    public func ping() async throws {
        _ = try await readAsync { try Int.fetchOne($0, sql: "SELECT 1") }
    }

    /// The annotator with row id `id`, if any.
    public func annotator(_ id: AnnotatorID) async throws -> Annotator? {
        try await readAsync { try Annotator.fetchOne($0, sql: "SELECT * FROM annotator WHERE id = ?", arguments: [id]) }
    }

    /// `annotator(named:)` for async callers.
    public func annotator(named name: String) async throws -> Annotator? {
        try await readAsync {
            try Annotator.fetchOne($0, sql: "SELECT * FROM annotator WHERE name = ?", arguments: [name])
        }
    }

    /// The annotator whose token hash is `tokenHash` (who may sign in with that token), if any.
    public func annotator(withTokenHash tokenHash: String) async throws -> Annotator? {
        try await readAsync {
            try Annotator.fetchOne($0, sql: "SELECT * FROM annotator WHERE token_hash = ?", arguments: [tokenHash])
        }
    }

    /// Adds a person who signs in with a token of hash `tokenHash`; throws `conflict` if the name is taken.
    public func addTokenAnnotator(name: String, tokenHash: String) async throws -> Annotator {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw PreferenceDataError.invalidArgument("annotator name is empty") }
        return try await writeAsync { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM annotator WHERE name = ?", arguments: [trimmed]) != nil {
                throw PreferenceDataError.conflict("an annotator named \"\(trimmed)\" already exists")
            }
            try db.execute(
                sql: "INSERT INTO annotator (name, kind, token_hash, created_at) VALUES (?, 'human', ?, ?)",
                arguments: [trimmed, tokenHash, Timestamp.string(from: Date())])
            return try Annotator.fetchOne(
                db, sql: "SELECT * FROM annotator WHERE id = ?", arguments: [db.lastInsertedRowID])!
        }
    }
}
