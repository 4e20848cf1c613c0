import TensorEngine

/// Advantages and value targets from generalized advantage estimation.
public struct GAEResult: Sendable {
    /// A_t, shaped like the rewards.
    public let advantages: Tensor
    /// A_t + V_t: the targets of the value loss.
    public let returns: Tensor
}

/// Generalized advantage estimation (Schulman et al. 2016) along the last (time) axis:
///
///     δ_t = r_t + γ·V_{t+1} − V_t   (V_T = 0: nothing follows the last position)
///     A_t = δ_t + γ·λ·A_{t+1}
///     returns_t = A_t + V_t
///
/// `rewards` and `values` share a shape, [T] or [B, T] (any leading axes). As in TRL and OpenRLHF the recursion runs
/// over every position; the losses apply the mask afterwards. With a `mask` (1 = response token), rewards and values
/// outside it are taken as 0 first (OpenRLHF's convention): right padding after a response then acts as the end of
/// the episode instead of leaking its values into the last response token.
///
/// Defaults γ = 1, λ = 0.95 are TRL's and OpenRLHF's (an episode is one short response, so no discounting).
/// Computed without a tape, in Double: the inputs are treated as constants and the results are plain tensors.
public func generalizedAdvantageEstimate(
    rewards: Tensor, values: Tensor, mask: Tensor? = nil, gamma: Float = 1, lambda: Float = 0.95
) -> GAEResult {
    let op = "generalizedAdvantageEstimate"
    ObjectiveChecks.sameShape(op, ["rewards": rewards, "values": values])
    if rewards.rank < 1 { engineFailure(op, "rewards must have a time axis, got shape \(rewards.shape)") }
    var r = rewards.scalars, v = values.scalars
    if let mask {
        ObjectiveChecks.sameShape(op, ["rewards": rewards, "mask": mask])
        ObjectiveChecks.mask(op, mask)
        for (i, m) in mask.scalars.enumerated() where m == 0 { r[i] = 0; v[i] = 0 }
    }
    let steps = rewards.shape.last!
    var advantages = [Float](repeating: 0, count: r.count), returns = advantages
    let g = Double(gamma), gl = Double(gamma) * Double(lambda)
    for start in stride(from: 0, to: r.count, by: Swift.max(steps, 1)) {
        var nextValue = 0.0, nextAdvantage = 0.0
        for i in (start..<start + steps).reversed() {
            let value = Double(v[i])
            let delta = Double(r[i]) + g * nextValue - value
            nextAdvantage = delta + gl * nextAdvantage
            nextValue = value
            advantages[i] = Float(nextAdvantage)
            returns[i] = Float(nextAdvantage + value)
        }
    }
    return GAEResult(
        advantages: Tensor(shape: rewards.shape, scalars: advantages),
        returns: Tensor(shape: rewards.shape, scalars: returns))
}
