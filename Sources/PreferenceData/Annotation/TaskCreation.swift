import Foundation
import GRDB

/// Turns response pairs into annotation tasks (`PreferenceStore.createTasks`).
enum TaskCreation {
    /// SQLite bounds the number of parameters of one statement; prompt lists are bound in chunks of this many.
    static let chunkSize = 500

    /// Creates comparisons (for `.all` pairs) and tasks as `options` say, in the caller's transaction.
    static func create(_ db: Database, options: TaskCreationOptions, now: Date) throws -> TaskCreationReport {
        guard options.labelsPerTask >= 1 else {
            throw PreferenceDataError.invalidArgument(
                "labels per task must be at least 1, got \(options.labelsPerTask)")
        }
        let nowText = Timestamp.string(from: now)
        var report = TaskCreationReport()
        for chunk in try promptChunks(db, options.promptIDs) {
            var filter = options.includeFlaggedPrompts ? "" : "AND p.quality_flags = 0"
            var promptArguments = StatementArguments()
            if let chunk {
                filter += " AND p.id IN (\(Array(repeating: "?", count: chunk.count).joined(separator: ",")))"
                promptArguments = StatementArguments(chunk.map(\.rawValue))
            }
            if options.pairs == .all {
                // Response A is the lower id (the comparison table's rule); ordered so new ids follow the prompts.
                try db.execute(
                    sql: """
                        INSERT INTO comparison (prompt_id, response_a_id, response_b_id, created_at)
                        SELECT p.id, r1.id, r2.id, ?
                        FROM prompt p
                        JOIN response r1 ON r1.prompt_id = p.id
                        JOIN response r2 ON r2.prompt_id = p.id AND r2.id > r1.id
                        WHERE NOT EXISTS (SELECT 1 FROM comparison c WHERE c.response_a_id = r1.id AND c.response_b_id = r2.id)
                        \(filter)
                        ORDER BY p.id, r1.id, r2.id
                        """, arguments: StatementArguments([nowText]) + promptArguments)
                report.comparisonsCreated += db.changesCount
            }
            let judgedFilter =
                options.includeJudged ? "" : "AND NOT EXISTS (SELECT 1 FROM judgement j WHERE j.comparison_id = c.id)"
            try db.execute(
                sql: """
                    INSERT INTO annotation_task (comparison_id, labels_wanted, labels_done, created_at)
                    SELECT c.id, ?,
                           (SELECT count(*) FROM judgement j JOIN annotator a ON a.id = j.annotator_id
                            WHERE j.comparison_id = c.id AND a.kind = 'human'),
                           ?
                    FROM comparison c
                    JOIN prompt p ON p.id = c.prompt_id
                    WHERE NOT EXISTS (SELECT 1 FROM annotation_task t WHERE t.comparison_id = c.id)
                    \(judgedFilter)
                    \(filter)
                    ORDER BY c.id
                    """,
                arguments: StatementArguments([options.labelsPerTask.databaseValue, nowText.databaseValue])
                    + promptArguments)
            report.tasksCreated += db.changesCount
        }
        report.tasksTotal = try Int.fetchOne(db, sql: "SELECT count(*) FROM annotation_task") ?? 0
        return report
    }

    /// The prompt ids in chunks ([nil] for every prompt); throws `notFound` naming the first id not in the store.
    private static func promptChunks(_ db: Database, _ ids: [PromptID]?) throws -> [[PromptID]?] {
        guard let ids else { return [nil] }
        let unique = Array(Set(ids)).sorted()
        var chunks: [[PromptID]?] = []
        for start in stride(from: 0, to: unique.count, by: chunkSize) {
            let chunk = Array(unique[start..<min(unique.count, start + chunkSize)])
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let found = Set(
                try PromptID.fetchAll(
                    db, sql: "SELECT id FROM prompt WHERE id IN (\(placeholders))",
                    arguments: StatementArguments(chunk.map(\.rawValue))))
            if let missing = chunk.first(where: { !found.contains($0) }) {
                throw PreferenceDataError.notFound("prompt \(missing) is not in the store")
            }
            chunks.append(chunk)
        }
        return chunks
    }
}
