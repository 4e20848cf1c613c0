import TensorEngine

/// Per-token PPO rewards: a KL penalty on every response token plus the sequence's score on its last one
/// (Ziegler et al. 2019, InstructGPT; TRL's and OpenRLHF's `compute_rewards`):
///
///     reward_t = −β·KL_t            for response tokens (mask = 1), 0 elsewhere
///     reward_last += score          last = the last position whose mask is 1
///
/// `logProbs`, `referenceLogProbs` and `mask` are [B, T]; `scores` is [B] (reward-model scores, after the reference
/// baseline when it is on). β is the KL controller's current coefficient; the per-token KL is `estimator`'s, k1 by
/// default as in the fixture, TRL and OpenRLHF. Every row needs at least one response token. Computed without a tape:
/// the result is a plain [B, T] tensor.
public func shapedRewards(
    scores: Tensor, logProbs: Tensor, referenceLogProbs: Tensor, mask: Tensor, klCoefficient: Float,
    estimator: KLEstimator = .k1
) -> Tensor {
    let op = "shapedRewards"
    ObjectiveChecks.sameShape(op, ["logProbs": logProbs, "referenceLogProbs": referenceLogProbs, "mask": mask])
    ObjectiveChecks.rank(op, "logProbs", logProbs, 2, "[batch, time]")
    ObjectiveChecks.rank(op, "scores", scores, 1, "[batch]")
    if scores.shape[0] != mask.shape[0] {
        engineFailure(
            op, "scores has shape \(scores.shape) but the mask has \(mask.shape[0]) rows (shape \(mask.shape))")
    }
    ObjectiveChecks.mask(op, mask)
    let kl = withNoGrad { estimator.estimate(logProbs: logProbs, referenceLogProbs: referenceLogProbs) }
    let m = mask.scalars, score = scores.scalars, steps = mask.shape[1]
    var rewards = zip(kl.scalars, m).map { $0.1 == 1 ? -klCoefficient * $0.0 : 0 }
    for row in 0..<score.count {
        let offset = row * steps
        guard let last = (offset..<offset + steps).last(where: { m[$0] == 1 }) else {
            engineFailure(op, "row \(row) of the mask \(mask.shape) has no response token to receive its score")
        }
        rewards[last] += score[row]
    }
    return Tensor(shape: mask.shape, scalars: rewards)
}
