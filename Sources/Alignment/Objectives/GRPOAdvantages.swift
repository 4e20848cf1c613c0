import TensorEngine

/// GRPO's group-relative advantages (DeepSeekMath, Shao et al. 2024): each prompt's G sampled responses are compared
/// with each other instead of with a critic,
///
///     A_i = (r_i − mean(r_group)) / (std(r_group) + ε)     std unbiased (n − 1), as torch.std
///
/// `rewards` is [numPrompts, G], one row per prompt. `scaleByStd: false` only centres (Dr. GRPO, Liu et al. 2025,
/// which argues the division over-weights prompts that are too easy or too hard). ε = 1e-4 is TRL's. Each response's
/// advantage then applies to all its tokens. Computed without a tape, in Double; the result has the rewards' shape.
public func grpoAdvantages(rewards: Tensor, scaleByStd: Bool = true, epsilon: Float = 1e-4) -> Tensor {
    let op = "grpoAdvantages"
    ObjectiveChecks.rank(op, "rewards", rewards, 2, "[numPrompts, groupSize]")
    let groupSize = rewards.shape[1]
    if groupSize < 2 {
        engineFailure(op, "groups of \(groupSize) response in \(rewards.shape) have no spread; G must be at least 2")
    }
    let r = rewards.scalars.map(Double.init)
    var advantages = [Float](repeating: 0, count: r.count)
    for start in stride(from: 0, to: r.count, by: groupSize) {
        let group = r[start..<start + groupSize]
        let mean = group.reduce(0, +) / Double(groupSize)
        let std = (group.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(groupSize - 1)).squareRoot()
        let scale = scaleByStd ? 1 / (std + Double(epsilon)) : 1
        for i in group.indices { advantages[i] = Float((r[i] - mean) * scale) }
    }
    return Tensor(shape: rewards.shape, scalars: advantages)
}

/// `grpoAdvantages` for flat rewards [numPrompts·G] laid out prompt by prompt (G consecutive responses per prompt),
/// as a rollout buffer holds them; the result is flat too.
public func grpoAdvantages(rewards: Tensor, groupSize: Int, scaleByStd: Bool = true, epsilon: Float = 1e-4) -> Tensor {
    let op = "grpoAdvantages"
    ObjectiveChecks.rank(op, "rewards", rewards, 1, "[numPrompts * groupSize]")
    if groupSize < 1 || rewards.count % groupSize != 0 {
        engineFailure(op, "\(rewards.count) rewards (shape \(rewards.shape)) do not split into groups of \(groupSize)")
    }
    let grouped = withNoGrad { rewards.detached().reshaped([rewards.count / groupSize, groupSize]) }
    return grpoAdvantages(rewards: grouped, scaleByStd: scaleByStd, epsilon: epsilon).reshaped(rewards.shape)
}
