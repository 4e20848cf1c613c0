import TensorEngine

/// The reward model's loss and the statistics logged beside it.
public struct RewardModelLossResult: Sendable {
    /// The scalar loss, differentiable in both scores.
    public let loss: Tensor
    /// The Bradley–Terry part, mean(−log σ(r_w − r_l − m)), without the prior.
    public let rankingLoss: Float
    /// Share of pairs whose chosen response scores higher than the rejected one.
    public let accuracy: Float
}

/// Bradley–Terry ranking loss with the paper's zero-mean Gaussian prior on scores (ChatGLM-RLHF §2):
///
///     loss = mean(−log σ(r_w − r_l − m)) + λ·mean(r_w² + r_l²)
///
/// `chosenScores` (r_w) and `rejectedScores` (r_l) are [B], the reward head's scores of each pair's preferred and
/// dispreferred response. The L2 term keeps the score distribution centred instead of drifting; the paper gives no
/// λ, so the default 0.01 is our choice (PAPER.md), and λ = 0 is plain Bradley–Terry. `margins` m [B], when the
/// labels carry a preference strength, demand that much separation (Llama 2's margin loss); nil means 0.
/// Differentiable in both scores.
public func rewardModelLoss(
    chosenScores: Tensor, rejectedScores: Tensor, margins: Tensor? = nil, scorePriorWeight: Float = 0.01
) -> RewardModelLossResult {
    let op = "rewardModelLoss"
    ObjectiveChecks.rank(op, "chosenScores", chosenScores, 1, "[batch]")
    ObjectiveChecks.sameShape(op, ["chosenScores": chosenScores, "rejectedScores": rejectedScores])
    if let margins { ObjectiveChecks.sameShape(op, ["chosenScores": chosenScores, "margins": margins]) }
    if !(scorePriorWeight >= 0) { engineFailure(op, "score prior weight \(scorePriorWeight) must be non-negative") }

    var difference = chosenScores - rejectedScores
    if let margins { difference = difference - margins.detached() }
    let ranking = -difference.logSigmoid().mean()
    let loss =
        scorePriorWeight == 0
        ? ranking
        : ranking + (chosenScores.square() + rejectedScores.square()).mean() * scorePriorWeight
    let wins = zip(chosenScores.scalars, rejectedScores.scalars).filter { $0 > $1 }.count
    return RewardModelLossResult(
        loss: loss, rankingLoss: ranking.item(),
        accuracy: Float(wins) / Float(Swift.max(chosenScores.count, 1)))
}
