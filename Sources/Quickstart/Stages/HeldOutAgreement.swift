import Alignment
import PreferenceData
import SyntheticTask

/// The reward model's and the annotators' agreement with the gold oracle, counted over one and the same set of
/// pairs: the held-out labelled pairs the oracle does not tie. The annotators' choice on a pair is its label after
/// post-filtering (the pair's `chosen`); the reward model's is the response it scores higher. Measured on the same
/// pairs, the annotators' rate is the ceiling the reward model is compared with.
struct HeldOutAgreement: Equatable {
    /// Pairs the oracle decides (does not tie): the denominator of both rates.
    var decidedPairs: Int
    /// How often the reward model's choice matches the oracle's.
    var rewardModel: Double
    /// How often the annotators' label matches the oracle's.
    var annotators: Double
    /// The reward model's rate per prompt category.
    var rewardModelPerCategory: [String: Double]

    /// One labelled pair: the annotators preferred `chosen`.
    struct LabelledPair {
        var prompt: TaskPrompt
        var chosen: String
        var rejected: String
        /// Whether the reward model scores `chosen` above `rejected`.
        var rewardModelPrefersChosen: Bool
    }

    /// Both rates over the pairs the oracle decides; NaN when it decides none.
    static func measure(_ pairs: [LabelledPair], oracle: GoldOracle) -> HeldOutAgreement {
        var decided = 0, rewardModelAgrees = 0, annotatorsAgree = 0
        var byCategory: [String: (decided: Int, agrees: Int)] = [:]
        for pair in pairs {
            let verdict = oracle.prefer(prompt: pair.prompt, a: pair.chosen, b: pair.rejected)
            guard verdict != .tie else { continue }
            decided += 1
            if verdict == .a { annotatorsAgree += 1 }
            let agrees = (verdict == .a) == pair.rewardModelPrefersChosen
            if agrees { rewardModelAgrees += 1 }
            byCategory[pair.prompt.category.rawValue, default: (0, 0)].decided += 1
            if agrees { byCategory[pair.prompt.category.rawValue, default: (0, 0)].agrees += 1 }
        }
        return HeldOutAgreement(
            decidedPairs: decided, rewardModel: QuickstartPipeline.ratio(rewardModelAgrees, decided),
            annotators: QuickstartPipeline.ratio(annotatorsAgree, decided),
            rewardModelPerCategory: byCategory.mapValues { QuickstartPipeline.ratio($0.agrees, $0.decided) })
    }
}
