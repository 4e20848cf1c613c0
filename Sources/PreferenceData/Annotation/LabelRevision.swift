import Foundation
import GRDB

/// An earlier version of a corrected label: what the annotator had answered before a change, kept so a correction
/// never erases the history of a judgement.
public struct LabelRevision: Sendable, Hashable {
    /// The label (judgement) it is an earlier version of.
    public var labelID: JudgementID
    /// The answer as it was (choices relative to the stored responses A and B).
    public var label: LabelDraft
    /// When that answer was given.
    public var judgedAt: Date?
    /// When it was replaced.
    public var replacedAt: Date
}

extension LabelRevision {
    /// Reads a row of `SELECT * FROM label_revision`.
    init(row: Row) {
        labelID = row["judgement_id"]
        var dimensions: [QualityDimension: Choice] = [:]
        for dimension in QualityDimension.allCases {
            if let text: String = row[dimension.rawValue], let choice = Choice(rawValue: text) {
                dimensions[dimension] = choice
            }
        }
        label = LabelDraft(
            overall: Choice(rawValue: row["overall"]) ?? .tie, dimensions: dimensions, comment: row["comment"])
        judgedAt = (row["judged_at"] as String?).flatMap(Timestamp.date(from:))
        replacedAt = Timestamp.date(from: row["replaced_at"]) ?? Date(timeIntervalSince1970: 0)
    }
}
