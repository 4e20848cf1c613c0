import Foundation
import GRDB

/// One annotator's judgement of one comparison: the overall choice, optional per-dimension choices and scores.
public struct Judgement: Sendable, Hashable, FetchableRecord {
    /// Row id.
    public var id: JudgementID
    /// The comparison judged.
    public var comparisonID: ComparisonID
    /// Who judged it.
    public var annotatorID: AnnotatorID
    /// 0 for the annotator's first judgement of this comparison; datasets (whose raters are unknown) may hold more.
    public var occurrence: Int
    /// The overall choice.
    public var overall: Choice
    /// Per-dimension choices, where given.
    public var dimensions: [QualityDimension: Choice]
    /// Scalar scores of responses A and B, where the judge gave scores (rated data, reward-model labels).
    public var scoreA: Double?
    /// See `scoreA`.
    public var scoreB: Double?
    /// Free-text comment.
    public var comment: String?
    /// When the judgement was made, if known.
    public var judgedAt: Date?
}

extension Judgement {
    /// Reads a row of `SELECT * FROM judgement`.
    public init(row: Row) {
        id = row["id"]
        comparisonID = row["comparison_id"]
        annotatorID = row["annotator_id"]
        occurrence = row["occurrence"]
        overall = Choice(rawValue: row["overall"]) ?? .tie
        var dimensions: [QualityDimension: Choice] = [:]
        for dimension in QualityDimension.allCases {
            if let text: String = row[dimension.rawValue], let choice = Choice(rawValue: text) {
                dimensions[dimension] = choice
            }
        }
        self.dimensions = dimensions
        scoreA = row["score_a"]
        scoreB = row["score_b"]
        comment = row["comment"]
        judgedAt = (row["judged_at"] as String?).flatMap(Timestamp.date(from:))
    }
}
