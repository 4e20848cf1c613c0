/// How a reward model does on held-out pairs: pairwise accuracy overall, by category and by length difference;
/// the score distribution; the length-bias metric (correlation of score and response length); calibration.
public struct RewardEvaluationReport: Sendable, Equatable, Codable {
    /// Accuracy over a group of pairs.
    public struct Group: Sendable, Equatable, Codable {
        /// The group (a category, or `longer`/`shorter` for which side the preferred response is).
        public var name: String
        /// Pairs in it.
        public var pairs: Int
        /// Share whose preferred response scores higher.
        public var accuracy: Double?
    }

    /// Accuracy over the pairs whose responses differ in length by lower..<upper tokens.
    public struct LengthBucket: Sendable, Equatable, Codable {
        /// Smallest |len(chosen) − len(rejected)| in the bucket (0: equal length).
        public var lower: Int
        /// One past the largest, or nil for the open last bucket.
        public var upper: Int?
        /// Pairs in the bucket.
        public var pairs: Int
        /// Accuracy over them.
        public var accuracy: Double?
        /// The same split by whether the preferred response is the longer or the shorter one: a length-biased model
        /// does well on the first and badly on the second.
        public var byPreferredSide: [Group]
    }

    /// Pairs evaluated.
    public var pairs: Int
    /// Share of pairs whose preferred response scores higher (a tie counts as wrong).
    public var accuracy: Double
    /// Mean Bradley–Terry loss −log σ(r_w − r_l).
    public var rankingLoss: Double
    /// Mean of all scores (chosen and rejected): near 0 when the score prior keeps them centred.
    public var scoreMean: Double
    /// Standard deviation of all scores.
    public var scoreStd: Double
    /// Mean score of the preferred responses.
    public var chosenScoreMean: Double
    /// Mean score of the dispreferred responses.
    public var rejectedScoreMean: Double
    /// Pearson correlation of score and response length (tokens) over all responses: the length-bias metric.
    public var lengthPearson: Double?
    /// Spearman correlation of score and response length.
    public var lengthSpearman: Double?
    /// Accuracy per category (untagged pairs under "(none)"), by name.
    public var categories: [Group]
    /// Accuracy per length-difference bucket.
    public var lengthBuckets: [LengthBucket]
    /// Predicted vs observed win probability of the higher-scored response.
    public var calibration: [RewardStatistics.CalibrationBin]
    /// Count-weighted mean |predicted − observed| over the calibration bins.
    public var expectedCalibrationError: Double?
}
