/// What DPO training and evaluation report about a set of pairs: the preference loss and the implicit rewards
/// β·log(π/π_ref) of both sides.
public struct DPOMetrics: Sendable, Equatable {
    /// Mean preference loss (sigmoid or IPO, without the SFT term).
    public var loss: Double
    /// Share of pairs whose chosen implicit reward exceeds the rejected one.
    public var rewardAccuracy: Double
    /// Mean chosen − rejected implicit reward: what DPO raises.
    public var rewardMargin: Double
    /// Mean implicit reward of the chosen responses.
    public var chosenReward: Double
    /// Mean implicit reward of the rejected responses.
    public var rejectedReward: Double

    /// The metrics of one `dpoLoss` result.
    public init(_ result: DPOLossResult) {
        func mean(_ values: [Float]) -> Double {
            values.reduce(0) { $0 + Double($1) } / Double(Swift.max(values.count, 1))
        }
        loss = Double(result.loss.item())
        rewardAccuracy = Double(result.rewardAccuracy)
        rewardMargin = Double(result.rewardMargin)
        chosenReward = mean(result.chosenRewards.scalars)
        rejectedReward = mean(result.rejectedRewards.scalars)
    }

    /// The metrics under their `metrics.jsonl` names, each prefixed by `prefix` (e.g. "eval_").
    public func named(prefix: String = "") -> [String: Double] {
        [
            prefix + "dpo_loss": loss, prefix + "reward_accuracy": rewardAccuracy,
            prefix + "reward_margin": rewardMargin,
            prefix + "chosen_reward": chosenReward, prefix + "rejected_reward": rejectedReward,
        ]
    }
}
