import Foundation
import GRDB

/// Hands tasks to annotators and takes their labels, inside the caller's write transaction (IMMEDIATE, so two
/// annotators asking at once are served one after the other and cannot both take a task's last free place).
///
/// A task has `labels_wanted` places. A place is taken by a label or by an unexpired lease; an annotator holds at
/// most one lease, gets the same task back while it is held, and never gets a task they already labelled or skipped.
/// A label is taken only from the holder of an unexpired lease: a task must have been handed to a person (and so
/// shown to them) before they can label it.
enum TaskLeasing {
    /// The annotator's task: the one they hold (its lease renewed), else the first open task with a free place that
    /// they have not labelled, leased to them until `now + duration`; nil when there is none.
    ///
    /// With `goldRate` above 0, a new task is a gold task (one the annotator has not answered) with about that
    /// probability (`GoldMixing`), but only while an ordinary task is also left for them, so gold tasks never stand
    /// out as the last ones. Tasks assigned to named annotators (`task_assignee`) go only to them.
    static func lease(
        _ db: Database, annotator: AnnotatorID, now: Date, duration: TimeInterval, goldRate: Double = 0
    ) throws -> TaskAssignment? {
        let nowText = Timestamp.string(from: now)
        let expires = now.addingTimeInterval(duration)
        let expiresText = Timestamp.string(from: expires)
        // Expired leases free their places; deleting them here keeps every later query to unexpired ones.
        try db.cachedStatement(sql: "DELETE FROM task_lease WHERE expires_at <= ?").execute(arguments: [nowText])
        var taskID = try AnnotationTaskID.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT l.task_id FROM task_lease l
                    JOIN annotation_task t ON t.id = l.task_id
                    WHERE l.annotator_id = ?
                      AND NOT EXISTS (SELECT 1 FROM judgement j WHERE j.comparison_id = t.comparison_id AND j.annotator_id = l.annotator_id)
                    ORDER BY l.task_id LIMIT 1
                    """), arguments: [annotator])
        if taskID == nil, let ordinary = try nextOrdinaryTask(db, annotator: annotator) {
            taskID = ordinary
            if goldRate > 0 {
                let labelled = try labelCount(db, annotator: annotator)
                if GoldMixing.isGoldTurn(annotator: annotator, labelled: labelled, rate: goldRate),
                    let gold = try nextGoldTask(db, annotator: annotator)
                {
                    taskID = gold
                }
            }
        }
        guard let taskID else { return nil }
        try db.cachedStatement(
            sql: """
                INSERT INTO task_lease (task_id, annotator_id, expires_at, leased_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (task_id, annotator_id) DO UPDATE SET expires_at = excluded.expires_at
                """
        ).execute(arguments: [taskID, annotator, expiresText, nowText])
        return try assignment(db, task: taskID, leaseExpiresAt: Timestamp.date(from: expiresText) ?? expires)
    }

    /// The first ordinary (not gold) task with a free place that the annotator may get: meant for everyone or for
    /// them, not labelled nor skipped by them.
    static func nextOrdinaryTask(_ db: Database, annotator: AnnotatorID) throws -> AnnotationTaskID? {
        try AnnotationTaskID.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT t.id FROM annotation_task t
                    WHERE t.labels_done < t.labels_wanted
                      AND t.labels_done + (SELECT count(*) FROM task_lease l WHERE l.task_id = t.id) < t.labels_wanted
                      AND NOT EXISTS (SELECT 1 FROM judgement j WHERE j.comparison_id = t.comparison_id AND j.annotator_id = ?1)
                      AND NOT EXISTS (SELECT 1 FROM task_skip s WHERE s.task_id = t.id AND s.annotator_id = ?1)
                      AND NOT EXISTS (SELECT 1 FROM gold_task g WHERE g.task_id = t.id)
                      AND (NOT EXISTS (SELECT 1 FROM task_assignee a WHERE a.task_id = t.id)
                           OR EXISTS (SELECT 1 FROM task_assignee a WHERE a.task_id = t.id AND a.annotator_id = ?1))
                    ORDER BY t.id LIMIT 1
                    """), arguments: [annotator])
    }

    /// A gold task the annotator has not labelled nor skipped (every annotator answers each gold task once; it has
    /// no limit of places), picked by a hash of the annotator and task so people get them in different orders.
    static func nextGoldTask(_ db: Database, annotator: AnnotatorID) throws -> AnnotationTaskID? {
        let candidates = try AnnotationTaskID.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT g.task_id FROM gold_task g JOIN annotation_task t ON t.id = g.task_id
                    WHERE NOT EXISTS (SELECT 1 FROM judgement j WHERE j.comparison_id = t.comparison_id AND j.annotator_id = ?1)
                      AND NOT EXISTS (SELECT 1 FROM task_skip s WHERE s.task_id = t.id AND s.annotator_id = ?1)
                      AND (NOT EXISTS (SELECT 1 FROM task_assignee a WHERE a.task_id = t.id)
                           OR EXISTS (SELECT 1 FROM task_assignee a WHERE a.task_id = t.id AND a.annotator_id = ?1))
                    """), arguments: [annotator])
        return candidates.min { GoldMixing.order(annotator, $0) < GoldMixing.order(annotator, $1) }
    }

    /// How many task labels the annotator gave (gold ones included).
    static func labelCount(_ db: Database, annotator: AnnotatorID) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT count(*) FROM judgement j JOIN annotation_task t ON t.comparison_id = j.comparison_id
                    WHERE j.annotator_id = ?
                    """), arguments: [annotator]) ?? 0
    }

    /// Extends the annotator's unexpired lease of the task to `now + duration` and returns the new expiry. Throws
    /// `notFound` for an unknown task, `conflict` if they hold no unexpired lease of it (a heartbeat cannot take a
    /// task that was not handed to them, nor one whose lease ran out).
    static func renew(
        _ db: Database, task taskID: AnnotationTaskID, annotator: AnnotatorID, now: Date,
        duration: TimeInterval
    ) throws -> Date {
        let expires = now.addingTimeInterval(duration)
        let expiresText = Timestamp.string(from: expires)
        try db.cachedStatement(
            sql: "UPDATE task_lease SET expires_at = ? WHERE task_id = ? AND annotator_id = ? AND expires_at > ?"
        )
        .execute(arguments: [expiresText, taskID, annotator, Timestamp.string(from: now)])
        guard db.changesCount == 1 else {
            _ = try existingTask(db, taskID)
            throw PreferenceDataError.conflict(notHeldMessage(taskID))
        }
        return Timestamp.date(from: expiresText) ?? expires
    }

    /// The task's content for the annotator, or nil if there is no such task.
    static func assignment(_ db: Database, task taskID: AnnotationTaskID, leaseExpiresAt: Date) throws
        -> TaskAssignment?
    {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT c.id AS comparison_id, p.text AS prompt, p.context, ra.text AS a_text, rb.text AS b_text
                        FROM annotation_task t
                        JOIN comparison c ON c.id = t.comparison_id
                        JOIN prompt p ON p.id = c.prompt_id
                        JOIN response ra ON ra.id = c.response_a_id
                        JOIN response rb ON rb.id = c.response_b_id
                        WHERE t.id = ?
                        """), arguments: [taskID])
        else { return nil }
        return TaskAssignment(
            taskID: taskID, comparisonID: row["comparison_id"], prompt: row["prompt"],
            context: Turn.decodeStored(row["context"]), responseA: row["a_text"], responseB: row["b_text"],
            leaseExpiresAt: leaseExpiresAt)
    }

    /// The task's content with the annotator's lease expiry, or `now` when they hold no unexpired lease of it; nil
    /// for an unknown task.
    static func content(_ db: Database, task taskID: AnnotationTaskID, annotator: AnnotatorID, now: Date) throws
        -> TaskAssignment?
    {
        let expiry = try String.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT expires_at FROM task_lease WHERE task_id = ? AND annotator_id = ? AND expires_at > ?
                    """), arguments: [taskID, annotator, Timestamp.string(from: now)]
        ).flatMap(Timestamp.date(from:))
        return try TaskLeasing.assignment(db, task: taskID, leaseExpiresAt: expiry ?? now)
    }

    /// The task `taskID`; throws `notFound` if there is none.
    static func existingTask(_ db: Database, _ taskID: AnnotationTaskID) throws -> AnnotationTask {
        guard
            let task = try AnnotationTask.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM annotation_task WHERE id = ?"),
                arguments: [taskID])
        else {
            throw PreferenceDataError.notFound("task \(taskID) does not exist")
        }
        return task
    }

    /// Why a label or heartbeat for a task the caller does not hold is refused.
    static func notHeldMessage(_ taskID: AnnotationTaskID) -> String {
        "you do not hold task \(taskID): a label is accepted only for a task handed to you (GET /api/v1/tasks/next) "
            + "while its lease lasts; it was never handed to you, its lease ran out, or you skipped it"
    }

    /// Records `label` as the annotator's judgement of the task and releases their lease.
    ///
    /// Throws `notFound` for an unknown task; `conflict` if they already labelled it or hold no unexpired lease of
    /// it; `invalidArgument` if the annotator is not a person. Nothing is stored when it throws.
    /// `shownSwapped` says whether the annotator saw the stored B as "A" (nil if unknown).
    static func submit(
        _ db: Database, label: LabelDraft, task taskID: AnnotationTaskID, annotator: AnnotatorID,
        now: Date, shownSwapped: Bool? = nil
    ) throws -> AnnotationLabel {
        let nowText = Timestamp.string(from: now)
        let task = try existingTask(db, taskID)
        guard
            let kind = try String.fetchOne(
                db.cachedStatement(sql: "SELECT kind FROM annotator WHERE id = ?"),
                arguments: [annotator])
        else {
            throw PreferenceDataError.notFound("annotator \(annotator) does not exist")
        }
        guard kind == AnnotatorKind.human.rawValue else {
            throw PreferenceDataError.invalidArgument("only people label tasks; annotator \(annotator) is a \(kind)")
        }
        if try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM judgement WHERE comparison_id = ? AND annotator_id = ?"),
            arguments: [task.comparisonID, annotator]) != nil
        {
            throw PreferenceDataError.conflict("you already labelled task \(taskID)")
        }
        // The lease is what proves the task was handed to this person; it also holds their place, so a lease
        // holder always finds one.
        guard
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT 1 FROM task_lease WHERE task_id = ? AND annotator_id = ? AND expires_at > ?
                        """), arguments: [taskID, annotator, nowText]) != nil
        else {
            throw PreferenceDataError.conflict(notHeldMessage(taskID))
        }
        let dimensions = QualityDimension.allCases.map { label.dimensions[$0]?.rawValue }
        try db.cachedStatement(
            sql: """
                INSERT INTO judgement (comparison_id, annotator_id, occurrence, overall, helpfulness, safety, fluency, comment, judged_at)
                VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            task.comparisonID, annotator, label.overall.rawValue, dimensions[0], dimensions[1],
            dimensions[2], label.comment, nowText,
        ])
        let labelID = JudgementID(db.lastInsertedRowID)
        // When the task was handed out and how it was shown: the dashboard's time per task and position bias.
        try db.cachedStatement(
            sql: """
                INSERT INTO label_work (judgement_id, handed_at, shown_swapped)
                SELECT ?, leased_at, ? FROM task_lease WHERE task_id = ? AND annotator_id = ?
                """
        ).execute(arguments: [labelID, shownSwapped, taskID, annotator])
        try db.cachedStatement(sql: "DELETE FROM task_lease WHERE task_id = ? AND annotator_id = ?")
            .execute(arguments: [taskID, annotator])
        return AnnotationLabel(
            id: labelID, taskID: taskID, comparisonID: task.comparisonID, annotatorID: annotator,
            label: label, judgedAt: Timestamp.date(from: nowText))
    }
}
