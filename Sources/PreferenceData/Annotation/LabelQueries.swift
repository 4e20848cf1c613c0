import Foundation
import GRDB

/// Reads and changes an annotator's own labels. Every query is keyed by the annotator, so one annotator's labels
/// are invisible to another: a label that is not theirs is simply not found.
enum LabelQueries {
    /// The columns and joins of an `AnnotationLabel` row.
    static let labelSelect = """
        SELECT j.*, t.id AS task_id FROM judgement j JOIN annotation_task t ON t.comparison_id = j.comparison_id
        """

    /// The annotator's labels after label `after` (nil: from the first), oldest first, at most `limit`.
    static func labels(_ db: Database, annotator: AnnotatorID, after: JudgementID?, limit: Int) throws
        -> [AnnotationLabel]
    {
        try Row.fetchAll(
            db.cachedStatement(sql: "\(labelSelect) WHERE j.annotator_id = ? AND j.id > ? ORDER BY j.id LIMIT ?"),
            arguments: [annotator, after?.rawValue ?? 0, max(0, limit)]
        )
        .map(AnnotationLabel.init(row:))
    }

    /// The label `id` if the annotator gave it.
    static func label(_ db: Database, id: JudgementID, annotator: AnnotatorID) throws -> AnnotationLabel? {
        try Row.fetchOne(
            db.cachedStatement(sql: "\(labelSelect) WHERE j.id = ? AND j.annotator_id = ?"),
            arguments: [id, annotator]
        ).map(AnnotationLabel.init(row:))
    }

    /// Replaces the annotator's label `id` with `label`, keeping the values it replaces as a revision; throws
    /// `notFound` if they gave no such label.
    static func update(_ db: Database, id: JudgementID, annotator: AnnotatorID, label: LabelDraft, now: Date) throws
        -> AnnotationLabel
    {
        let dimensions = QualityDimension.allCases.map { label.dimensions[$0]?.rawValue }
        try db.cachedStatement(
            sql: """
                INSERT INTO label_revision (judgement_id, overall, helpfulness, safety, fluency, comment, judged_at, replaced_at)
                SELECT id, overall, helpfulness, safety, fluency, comment, judged_at, ?
                FROM judgement
                WHERE id = ? AND annotator_id = ? AND comparison_id IN (SELECT comparison_id FROM annotation_task)
                """
        ).execute(arguments: [Timestamp.string(from: now), id, annotator])
        try db.cachedStatement(
            sql: """
                UPDATE judgement SET overall = ?, helpfulness = ?, safety = ?, fluency = ?, comment = ?, judged_at = ?
                WHERE id = ? AND annotator_id = ? AND comparison_id IN (SELECT comparison_id FROM annotation_task)
                """
        ).execute(arguments: [
            label.overall.rawValue, dimensions[0], dimensions[1], dimensions[2], label.comment,
            Timestamp.string(from: now), id, annotator,
        ])
        guard db.changesCount == 1, let updated = try self.label(db, id: id, annotator: annotator) else {
            throw PreferenceDataError.notFound("label \(id) not found")
        }
        return updated
    }

    /// How many tasks the annotator labelled (gold ones included), and how many open ordinary tasks they could still
    /// label (not skipped, meant for them; gold tasks are not counted, so the count does not reveal them).
    static func counts(_ db: Database, annotator: AnnotatorID) throws -> (labelled: Int, open: Int) {
        let labelled =
            try Int.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT count(*) FROM judgement j JOIN annotation_task t ON t.comparison_id = j.comparison_id WHERE j.annotator_id = ?
                        """), arguments: [annotator]) ?? 0
        let open =
            try Int.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT count(*) FROM annotation_task t
                        WHERE t.labels_done < t.labels_wanted
                          AND NOT EXISTS (SELECT 1 FROM judgement j WHERE j.comparison_id = t.comparison_id AND j.annotator_id = ?1)
                          AND NOT EXISTS (SELECT 1 FROM task_skip s WHERE s.task_id = t.id AND s.annotator_id = ?1)
                          AND NOT EXISTS (SELECT 1 FROM gold_task g WHERE g.task_id = t.id)
                          AND (NOT EXISTS (SELECT 1 FROM task_assignee a WHERE a.task_id = t.id)
                               OR EXISTS (SELECT 1 FROM task_assignee a WHERE a.task_id = t.id AND a.annotator_id = ?1))
                        """), arguments: [annotator]) ?? 0
        return (labelled, open)
    }

    /// The progress of the whole annotation.
    static func progress(_ db: Database, now: Date) throws -> AnnotationProgress {
        let totals = try Row.fetchOne(
            db,
            sql: """
                SELECT count(*) AS tasks, total(labels_done >= labels_wanted) AS complete, total(labels_wanted) AS wanted,
                       total(min(labels_done, labels_wanted)) AS done
                FROM annotation_task WHERE id NOT IN (SELECT task_id FROM gold_task)
                """)!
        let gold = try Row.fetchOne(
            db,
            sql: """
                SELECT (SELECT count(*) FROM gold_task) AS tasks,
                       (SELECT count(*) FROM judgement j JOIN annotation_task t ON t.comparison_id = j.comparison_id
                        JOIN gold_task g ON g.task_id = t.id) AS labels
                """)!
        let lastHour =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM judgement j JOIN annotation_task t ON t.comparison_id = j.comparison_id
                    WHERE j.judged_at > ?
                    """, arguments: [Timestamp.string(from: now.addingTimeInterval(-3600))]) ?? 0
        let leases =
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM task_lease WHERE expires_at > ?",
                arguments: [Timestamp.string(from: now)]) ?? 0
        let annotators = try Row.fetchAll(
            db,
            sql: """
                SELECT a.id, a.name, a.deactivated_at, count(l.id) AS labels, max(l.judged_at) AS last_label_at
                FROM annotator a
                LEFT JOIN (SELECT j.id, j.annotator_id, j.judged_at FROM judgement j
                           JOIN annotation_task t ON t.comparison_id = j.comparison_id) l ON l.annotator_id = a.id
                WHERE a.token_hash IS NOT NULL
                GROUP BY a.id ORDER BY a.name
                """
        ).map { row in
            AnnotatorProgress(
                id: row["id"], name: row["name"], labels: row["labels"],
                lastLabelAt: (row["last_label_at"] as String?).flatMap(Timestamp.date(from:)),
                isActive: (row["deactivated_at"] as String?) == nil)
        }
        return AnnotationProgress(
            tasks: totals["tasks"], tasksComplete: Int(totals["complete"] as Double),
            labelsWanted: Int(totals["wanted"] as Double), labelsDone: Int(totals["done"] as Double),
            activeLeases: leases, goldTasks: gold["tasks"], goldLabels: gold["labels"], labelsLastHour: lastHour,
            annotators: annotators)
    }
}
