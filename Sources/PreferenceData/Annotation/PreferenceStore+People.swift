import Foundation
import GRDB

/// The admin's management of people and of who gets which task.
extension PreferenceStore {
    /// Every person who can sign in (has a token), active or not, by name.
    public func people() async throws -> [Annotator] {
        try await readAsync {
            try Annotator.fetchAll(
                $0, sql: "SELECT * FROM annotator WHERE kind = 'human' AND token_hash IS NOT NULL ORDER BY name")
        }
    }

    /// Deactivates (`active` false) or reactivates the person `id`. A deactivated person's token and sessions stop
    /// working and the tasks they held return to the pool; their labels are kept. Throws `notFound` if there is no
    /// such person.
    @discardableResult
    public func setActive(_ active: Bool, annotator id: AnnotatorID, now: Date = Date()) async throws -> Annotator {
        try await writeAsync { db in
            try db.execute(
                sql: """
                    UPDATE annotator SET deactivated_at = CASE WHEN ?1 THEN NULL ELSE coalesce(deactivated_at, ?2) END
                    WHERE id = ?3 AND kind = 'human'
                    """, arguments: [active, Timestamp.string(from: now), id])
            guard db.changesCount == 1,
                let annotator = try Annotator.fetchOne(db, sql: "SELECT * FROM annotator WHERE id = ?", arguments: [id])
            else { throw PreferenceDataError.notFound("annotator \(id) is not a person in the store") }
            if !active { try db.execute(sql: "DELETE FROM task_lease WHERE annotator_id = ?", arguments: [id]) }
            return annotator
        }
    }

    /// Assigns `tasks` to the people `annotators` (only they get them), or to everyone when `annotators` is empty.
    /// Replaces earlier assignments of those tasks. Throws `notFound` naming the first unknown task or person.
    public func assign(tasks: [AnnotationTaskID], to annotators: [AnnotatorID]) async throws {
        try await writeAsync { db in
            for task in tasks { _ = try TaskLeasing.existingTask(db, task) }
            for annotator in annotators {
                guard
                    try Bool.fetchOne(
                        db, sql: "SELECT 1 FROM annotator WHERE id = ? AND kind = 'human'", arguments: [annotator])
                        != nil
                else { throw PreferenceDataError.notFound("annotator \(annotator) is not a person in the store") }
            }
            let clear = try db.cachedStatement(sql: "DELETE FROM task_assignee WHERE task_id = ?")
            let insert = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO task_assignee (task_id, annotator_id) VALUES (?, ?)")
            for task in tasks {
                try clear.execute(arguments: [task])
                for annotator in annotators { try insert.execute(arguments: [task, annotator]) }
            }
        }
    }

    /// The people task `task` is assigned to (empty: everyone).
    public func assignees(of task: AnnotationTaskID) async throws -> [AnnotatorID] {
        try await readAsync {
            try AnnotatorID.fetchAll(
                $0, sql: "SELECT annotator_id FROM task_assignee WHERE task_id = ? ORDER BY annotator_id",
                arguments: [task])
        }
    }
}
