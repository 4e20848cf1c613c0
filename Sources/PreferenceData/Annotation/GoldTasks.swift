import Foundation
import GRDB

/// A task with a known answer: mixed into every annotator's queue (`GoldMixing`), never shown as gold, and the
/// measure of how well each person labels.
public struct GoldTask: Sendable, Hashable {
    /// The task.
    public var taskID: AnnotationTaskID
    /// Its comparison.
    public var comparisonID: ComparisonID
    /// The known answer, relative to the stored A and B.
    public var answer: Choice
    /// People who labelled it.
    public var labels: Int
    /// Of those, how many gave the known answer.
    public var correct: Int
}

/// One annotator's answers to gold tasks.
public struct GoldScore: Sendable, Hashable {
    /// Gold tasks they labelled.
    public var answered: Int
    /// Of those, labelled with the known answer.
    public var correct: Int

    /// Creates a score.
    public init(answered: Int = 0, correct: Int = 0) {
        self.answered = answered
        self.correct = correct
    }

    /// The share answered correctly; nil before any gold task.
    public var accuracy: Double? { answered > 0 ? Double(correct) / Double(answered) : nil }
}

/// The store's queries of gold tasks.
enum GoldQueries {
    /// Marks task `taskID` as gold with `answer` (replacing an earlier answer); throws `notFound` for no such task.
    static func mark(_ db: Database, task taskID: AnnotationTaskID, answer: Choice, now: Date) throws -> GoldTask {
        _ = try TaskLeasing.existingTask(db, taskID)
        try db.execute(
            sql: """
                INSERT INTO gold_task (task_id, answer, created_at) VALUES (?, ?, ?)
                ON CONFLICT (task_id) DO UPDATE SET answer = excluded.answer
                """, arguments: [taskID, answer.rawValue, Timestamp.string(from: now)])
        return try all(db, only: taskID).first!
    }

    /// Every gold task (or only `only`) with its labels, by task id.
    static func all(_ db: Database, only: AnnotationTaskID? = nil) throws -> [GoldTask] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT g.task_id, t.comparison_id, g.answer,
                       count(j.id) AS labels, total(j.overall = g.answer) AS correct
                FROM gold_task g JOIN annotation_task t ON t.id = g.task_id
                LEFT JOIN judgement j ON j.comparison_id = t.comparison_id
                    AND j.annotator_id IN (SELECT id FROM annotator WHERE kind = 'human')
                WHERE ?1 IS NULL OR g.task_id = ?1
                GROUP BY g.task_id ORDER BY g.task_id
                """, arguments: [only]
        ).map { row in
            GoldTask(
                taskID: row["task_id"], comparisonID: row["comparison_id"],
                answer: Choice(rawValue: row["answer"]) ?? .tie, labels: row["labels"],
                correct: Int(row["correct"] as Double))
        }
    }

    /// Each person's answers to gold tasks, for those who answered any.
    static func scores(_ db: Database) throws -> [AnnotatorID: GoldScore] {
        var scores: [AnnotatorID: GoldScore] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT j.annotator_id, count(*) AS answered, total(j.overall = g.answer) AS correct
                FROM gold_task g JOIN annotation_task t ON t.id = g.task_id
                JOIN judgement j ON j.comparison_id = t.comparison_id
                JOIN annotator a ON a.id = j.annotator_id AND a.kind = 'human'
                GROUP BY j.annotator_id
                """)
        {
            scores[row["annotator_id"]] = GoldScore(answered: row["answered"], correct: Int(row["correct"] as Double))
        }
        return scores
    }
}

extension PreferenceStore {
    /// Marks task `task` as a gold task whose right answer is `answer` (relative to the stored A and B); marking it
    /// again replaces the answer. Throws `notFound` for an unknown task.
    @discardableResult
    public func markGold(task: AnnotationTaskID, answer: Choice, now: Date = Date()) throws -> GoldTask {
        try write { try GoldQueries.mark($0, task: task, answer: answer, now: now) }
    }

    /// `markGold(task:answer:now:)` for async callers.
    @discardableResult
    public func markGold(task: AnnotationTaskID, answer: Choice, now: Date = Date()) async throws -> GoldTask {
        try await writeAsync { try GoldQueries.mark($0, task: task, answer: answer, now: now) }
    }

    /// Every gold task with how often it was answered and answered right.
    public func goldTasks() async throws -> [GoldTask] {
        try await readAsync { try GoldQueries.all($0) }
    }

    /// Each person's answers to gold tasks (only people who answered one).
    public func goldScores() throws -> [AnnotatorID: GoldScore] {
        try read { try GoldQueries.scores($0) }
    }

    /// The people who answered at least `minimumGoldLabels` gold tasks and got less than `threshold` (0…1) of them
    /// right, with their scores, by name: whose labels `rlhf data filter --min-gold-accuracy` leaves out.
    public func annotators(belowGoldAccuracy threshold: Double, minimumGoldLabels: Int = 1) throws
        -> [(annotator: Annotator, score: GoldScore)]
    {
        let scores = try goldScores()
        return try annotators().compactMap { annotator in
            guard let score = scores[annotator.id], score.answered >= max(1, minimumGoldLabels),
                let accuracy = score.accuracy, accuracy < threshold
            else { return nil }
            return (annotator, score)
        }.sorted { $0.annotator.name < $1.annotator.name }
    }
}
