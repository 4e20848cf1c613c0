import Foundation
import GRDB

/// A person passing on a task (it needs knowledge they lack, or they would rather not judge it): their lease is
/// released and the skip is stored, so the task is never handed to them again while others can still take it.
enum TaskSkipping {
    /// Records that the annotator skipped the task and releases their lease of it. Skipping twice is harmless.
    /// Throws `notFound` for an unknown task, `conflict` if they already labelled it.
    static func skip(_ db: Database, task taskID: AnnotationTaskID, annotator: AnnotatorID, now: Date) throws {
        let task = try TaskLeasing.existingTask(db, taskID)
        if try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM judgement WHERE comparison_id = ? AND annotator_id = ?"),
            arguments: [task.comparisonID, annotator]) != nil
        {
            throw PreferenceDataError.conflict("you already labelled task \(taskID); there is nothing to skip")
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO task_skip (task_id, annotator_id, skipped_at) VALUES (?, ?, ?)
                ON CONFLICT (task_id, annotator_id) DO NOTHING
                """
        ).execute(arguments: [taskID, annotator, Timestamp.string(from: now)])
        try db.cachedStatement(sql: "DELETE FROM task_lease WHERE task_id = ? AND annotator_id = ?")
            .execute(arguments: [taskID, annotator])
    }
}
