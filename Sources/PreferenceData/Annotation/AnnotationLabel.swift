import Foundation
import GRDB

/// What an annotator answers for a task: the overall choice, optional per-dimension choices and a comment. Choices
/// refer to the comparison's stored responses A and B.
public struct LabelDraft: Sendable, Hashable {
    /// The overall choice.
    public var overall: Choice
    /// Per-dimension choices, where given.
    public var dimensions: [QualityDimension: Choice]
    /// Free-text comment.
    public var comment: String?

    /// Creates a label.
    public init(overall: Choice, dimensions: [QualityDimension: Choice] = [:], comment: String? = nil) {
        self.overall = overall
        self.dimensions = dimensions
        self.comment = comment
    }
}

/// A label an annotator gave through the annotation server: their judgement of a task's comparison.
public struct AnnotationLabel: Sendable, Hashable {
    /// The judgement's row id (the API's `label_id`).
    public var id: JudgementID
    /// The task labelled.
    public var taskID: AnnotationTaskID
    /// Its comparison.
    public var comparisonID: ComparisonID
    /// Who gave it.
    public var annotatorID: AnnotatorID
    /// The answer (choices relative to the stored responses A and B).
    public var label: LabelDraft
    /// When it was given or last changed.
    public var judgedAt: Date?
}

extension AnnotationLabel {
    /// Reads a row of `SELECT j.*, t.id AS task_id FROM judgement j JOIN annotation_task t …`.
    init(row: Row) {
        let judgement = Judgement(row: row)
        id = judgement.id
        taskID = row["task_id"]
        comparisonID = judgement.comparisonID
        annotatorID = judgement.annotatorID
        label = LabelDraft(overall: judgement.overall, dimensions: judgement.dimensions, comment: judgement.comment)
        judgedAt = judgement.judgedAt
    }
}
