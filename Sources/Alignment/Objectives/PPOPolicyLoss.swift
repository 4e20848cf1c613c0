import TensorEngine

/// The clipped PPO policy loss and the statistics trainers log beside it.
public struct PPOPolicyLossResult: Sendable {
    /// The scalar loss, differentiable in the new log-probabilities.
    public let loss: Tensor
    /// Share of response tokens whose clipped surrogate was the one taken (the clip was active).
    public let clipFraction: Float
    /// masked_mean(½·(log π_new − log π_old)²): how far the policy has moved from the one that sampled.
    public let approximateKL: Float
}

/// PPO's clipped surrogate objective (Schulman et al. 2017), as a loss over response tokens:
///
///     ratio = exp(log π_new − log π_old)
///     loss  = masked_mean(max(−A·ratio, −A·clamp(ratio, 1 − ε, 1 + ε)))
///     clipFraction = masked_mean(−A·clamp(ratio, 1 − ε, 1 + ε) > −A·ratio)
///     approximateKL = masked_mean(½·(log π_new − log π_old)²)
///
/// All inputs are [B, T] (any shape, the same for all); `mask` is 1 on response tokens. The mean is over all
/// response tokens of the batch (TRL's and OpenRLHF's token-level mean). Gradients flow into `logProbs` only:
/// old log-probabilities and advantages are constants of the update. ε = 0.2 is the PPO paper's, TRL's and OpenRLHF's default.
public func ppoPolicyLoss(
    logProbs: Tensor, oldLogProbs: Tensor, advantages: Tensor, mask: Tensor, clipRange: Float = 0.2
) -> PPOPolicyLossResult {
    let op = "ppoPolicyLoss"
    ObjectiveChecks.sameShape(
        op, ["logProbs": logProbs, "oldLogProbs": oldLogProbs, "advantages": advantages, "mask": mask])
    ObjectiveChecks.mask(op, mask)
    if !(clipRange > 0 && clipRange < 1) { engineFailure(op, "clip range \(clipRange) must lie in (0, 1)") }
    let logRatio = zeroOutsideMask(logProbs - oldLogProbs.detached(), mask)
    let ratio = logRatio.exp()
    let negativeAdvantages = zeroOutsideMask(-advantages.detached(), mask)
    let unclipped = negativeAdvantages * ratio
    let clipped = negativeAdvantages * ratio.clamped(min: 1 - clipRange, max: 1 + clipRange)
    let loss = maskedMean(elementwiseMaximum(unclipped, clipped), mask: mask)
    let approximateKL = withNoGrad { maskedMean(logRatio.square() * 0.5, mask: mask).item() }
    // The clamp returns the ratio itself when inside the range, so the comparison is exact there.
    let clipActive = zip(clipped.scalars, unclipped.scalars).map { $0 > $1 }
    return PPOPolicyLossResult(
        loss: loss, clipFraction: maskedFraction(clipActive, mask: mask), approximateKL: approximateKL)
}
