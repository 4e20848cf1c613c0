/// The human obstacles a simulated annotator has (paper §1–§3): label noise, a bias toward longer answers, and
/// reward scales that differ by category. The paper measures none of them; the defaults are ours.
public struct SimulatedAnnotatorConfig: Sendable, Hashable {
    /// Probability that a strict preference is reported the other way round. Default 0.1.
    public var flipRate: Double
    /// Probability that, when the two responses differ in length, the annotator picks the longer one without
    /// judging quality. Default 0.2.
    public var lengthBias: Double
    /// The annotator's reward for a response is `scale × oracle total`, with the scale of the prompt's category:
    /// wide for writing and role-play, narrow for arithmetic, as the paper reports reward scales differing by task.
    /// Categories not listed have scale 1. Default writing 2, role-play 1.5, open QA 1, safety 1, arithmetic 0.5.
    public var categoryScales: [TaskCategory: Double]
    /// A difference of scaled rewards up to this is a tie, so narrow-scale categories tie more often (as the
    /// paper's maths comparisons do). Default 0.02.
    public var tieMargin: Double
    /// Whether judgements carry the scaled rewards as `scoreA`/`scoreB` (rated data). Default false: the
    /// annotation API takes choices only.
    public var reportsScores: Bool
    /// Seed of the noise. Default 0.
    public var seed: UInt64

    /// The default scale of each category.
    public static let defaultCategoryScales: [TaskCategory: Double] = [
        .writing: 2, .rolePlay: 1.5, .openQA: 1, .safety: 1, .arithmetic: 0.5,
    ]

    /// Creates a configuration; every default is documented on its field.
    public init(
        flipRate: Double = 0.1, lengthBias: Double = 0.2,
        categoryScales: [TaskCategory: Double] = SimulatedAnnotatorConfig.defaultCategoryScales,
        tieMargin: Double = 0.02, reportsScores: Bool = false, seed: UInt64 = 0
    ) {
        self.flipRate = flipRate
        self.lengthBias = lengthBias
        self.categoryScales = categoryScales
        self.tieMargin = tieMargin
        self.reportsScores = reportsScores
        self.seed = seed
    }

    /// The scale of `category`'s rewards.
    public func scale(_ category: TaskCategory) -> Double {
        categoryScales[category] ?? 1
    }
}
