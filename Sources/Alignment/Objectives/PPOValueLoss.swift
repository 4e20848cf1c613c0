import TensorEngine

/// The clipped value loss and how often its clip was active.
public struct PPOValueLossResult: Sendable {
    /// The scalar loss, differentiable in the new values.
    public let loss: Tensor
    /// Share of response tokens where the clipped error was the larger one (TRL's `vf_clipfrac`); 0 without clipping.
    public let clipFraction: Float
}

/// The critic's loss with PPO's value clipping:
///
///     clipped = V_old + clamp(V_new − V_old, −ε, ε)
///     loss    = ½ · masked_mean(max((V_new − R)², (clipped − R)²))
///
/// so one update cannot move a value estimate further than ε from the one that collected the experience.
/// `clipRange: nil` gives the plain ½·masked_mean((V_new − R)²). Inputs are [B, T] (any shape, the same for all);
/// `mask` is 1 on response tokens; `returns` are GAE's targets. Gradients flow into `values` only. ε = 0.2 and the
/// factor ½ are TRL's (`cliprange_value`, `0.5 * vf_loss`).
public func ppoValueLoss(
    values: Tensor, oldValues: Tensor, returns: Tensor, mask: Tensor, clipRange: Float? = 0.2
) -> PPOValueLossResult {
    let op = "ppoValueLoss"
    ObjectiveChecks.sameShape(op, ["values": values, "oldValues": oldValues, "returns": returns, "mask": mask])
    ObjectiveChecks.mask(op, mask)
    let current = zeroOutsideMask(values, mask)
    let old = zeroOutsideMask(oldValues.detached(), mask), targets = zeroOutsideMask(returns.detached(), mask)
    let unclippedError = (current - targets).square()
    guard let clipRange else {
        return PPOValueLossResult(loss: maskedMean(unclippedError, mask: mask) * 0.5, clipFraction: 0)
    }
    if !(clipRange > 0) { engineFailure(op, "clip range \(clipRange) must be positive (or nil for no clipping)") }
    let clippedValues = old + (current - old).clamped(min: -clipRange, max: clipRange)
    let clippedError = (clippedValues - targets).square()
    let loss = maskedMean(elementwiseMaximum(unclippedError, clippedError), mask: mask) * 0.5
    // V_old + (V_new − V_old) can differ from V_new in the last bit, so only a clamp that moved the value counts.
    let moved = zip(values.scalars, oldValues.scalars).map { Swift.abs($0 - $1) > clipRange }
    let clipActive = zip(moved, zip(clippedError.scalars, unclippedError.scalars)).map { $0 && $1.0 > $1.1 }
    return PPOValueLossResult(loss: loss, clipFraction: maskedFraction(clipActive, mask: mask))
}
