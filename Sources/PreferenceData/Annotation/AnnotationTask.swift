import Foundation
import GRDB

/// Identifies an annotation task.
public struct AnnotationTaskID: StoreIdentifier {
    public var rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A comparison that people are asked to label: it is handed out until `labelsWanted` different people have
/// judged it, never twice to one person.
public struct AnnotationTask: Sendable, Hashable, FetchableRecord {
    /// Row id (the API's `task_id`).
    public var id: AnnotationTaskID
    /// The comparison to judge.
    public var comparisonID: ComparisonID
    /// How many people should judge it.
    public var labelsWanted: Int
    /// How many people have (human judgements of the comparison, however they were added).
    public var labelsDone: Int
    /// When the task was created.
    public var createdAt: Date

    /// Whether it needs no more labels.
    public var isComplete: Bool { labelsDone >= labelsWanted }
}

extension AnnotationTask {
    /// Reads a row of `SELECT * FROM annotation_task`.
    public init(row: Row) {
        id = row["id"]
        comparisonID = row["comparison_id"]
        labelsWanted = row["labels_wanted"]
        labelsDone = row["labels_done"]
        createdAt = Timestamp.date(from: row["created_at"]) ?? Date(timeIntervalSince1970: 0)
    }
}

/// A task handed to one annotator: what they need to judge it, and how long it is held for them.
public struct TaskAssignment: Sendable, Hashable {
    /// The task.
    public var taskID: AnnotationTaskID
    /// Its comparison.
    public var comparisonID: ComparisonID
    /// The final user message.
    public var prompt: String
    /// Earlier turns of the conversation, oldest first.
    public var context: [Turn]
    /// The comparison's stored response A (the lower id; a user interface may show the two in either order).
    public var responseA: String
    /// The comparison's stored response B.
    public var responseB: String
    /// Until when the task is held for this annotator; afterwards it returns to the pool.
    public var leaseExpiresAt: Date
}
