import TensorEngine

/// Which preference loss `dpoLoss` applies to the log-ratio margin h.
public enum DPOLossType: String, Codable, Sendable, CaseIterable {
    /// DPO (Rafailov et al. 2023): −log σ(β·h), optionally label-smoothed (conservative DPO).
    case sigmoid
    /// IPO (Azar et al. 2023): (h − 1/(2β))², which regresses the margin to a fixed target instead of pushing it
    /// to infinity, so it does not overfit deterministic preferences.
    case ipo
}

/// The DPO family's losses and implicit rewards for a batch of preference pairs.
public struct DPOLossResult: Sendable {
    /// The loss of each pair [B], differentiable in the policy log-probabilities.
    public let losses: Tensor
    /// The mean of `losses`, the scalar to minimise.
    public let loss: Tensor
    /// β·(log π(y_w|x) − log π_ref(y_w|x)) [B], without a tape.
    public let chosenRewards: Tensor
    /// β·(log π(y_l|x) − log π_ref(y_l|x)) [B], without a tape.
    public let rejectedRewards: Tensor
    /// Share of pairs whose chosen implicit reward exceeds the rejected one.
    public let rewardAccuracy: Float
    /// Mean of chosen − rejected implicit rewards: the margin DPO training should raise on held-out pairs.
    public let rewardMargin: Float
}

/// DPO and IPO from sequence log-probabilities (TRL's `dpo_loss`). With
///
///     h = (log π(y_w|x) − log π_ref(y_w|x)) − (log π(y_l|x) − log π_ref(y_l|x))
///
///     sigmoid: −(1 − s)·log σ(β·h) − s·log σ(−β·h)     (s = `labelSmoothing`, 0 = plain DPO)
///     ipo:     (h − 1/(2β))²
///
/// All four inputs are [B]: the summed log-probabilities of each response's tokens (`maskedSum(_:mask:axis:)` over
/// token log-probs). Gradients flow into the policy log-probabilities; the reference ones are constants (computed
/// once, before training). β = 0.1 and s = 0 are TRL's defaults; label smoothing models a share s of flipped labels
/// and applies to the sigmoid loss only, so it must stay in [0, 0.5) and be 0 for IPO.
public func dpoLoss(
    policyChosenLogProbs: Tensor, policyRejectedLogProbs: Tensor,
    referenceChosenLogProbs: Tensor, referenceRejectedLogProbs: Tensor,
    beta: Float = 0.1, type: DPOLossType = .sigmoid, labelSmoothing: Float = 0
) -> DPOLossResult {
    let op = "dpoLoss"
    ObjectiveChecks.rank(op, "policyChosenLogProbs", policyChosenLogProbs, 1, "[batch]")
    ObjectiveChecks.sameShape(
        op,
        [
            "policyChosenLogProbs": policyChosenLogProbs, "policyRejectedLogProbs": policyRejectedLogProbs,
            "referenceChosenLogProbs": referenceChosenLogProbs,
            "referenceRejectedLogProbs": referenceRejectedLogProbs,
        ])
    if !(beta > 0) { engineFailure(op, "beta \(beta) must be positive") }
    if !(labelSmoothing >= 0 && labelSmoothing < 0.5) {
        engineFailure(op, "label smoothing \(labelSmoothing) must lie in [0, 0.5)")
    }
    if type == .ipo && labelSmoothing != 0 {
        engineFailure(op, "label smoothing applies to the sigmoid loss, not to IPO")
    }

    let chosenLogRatio = policyChosenLogProbs - referenceChosenLogProbs.detached()
    let rejectedLogRatio = policyRejectedLogProbs - referenceRejectedLogProbs.detached()
    let margin = chosenLogRatio - rejectedLogRatio
    let losses: Tensor
    switch type {
    case .sigmoid:
        let preferChosen = -(margin * beta).logSigmoid()
        losses =
            labelSmoothing == 0
            ? preferChosen
            : preferChosen * (1 - labelSmoothing) - (margin * -beta).logSigmoid() * labelSmoothing
    case .ipo:
        losses = (margin - 1 / (2 * beta)).square()
    }
    let chosenRewards = withNoGrad { chosenLogRatio * beta }
    let rejectedRewards = withNoGrad { rejectedLogRatio * beta }
    let differences = zip(chosenRewards.scalars, rejectedRewards.scalars).map { $0 - $1 }
    let pairs = Float(Swift.max(differences.count, 1))
    return DPOLossResult(
        losses: losses, loss: losses.mean(), chosenRewards: chosenRewards, rejectedRewards: rejectedRewards,
        rewardAccuracy: Float(differences.filter { $0 > 0 }.count) / pairs,
        rewardMargin: differences.reduce(0, +) / pairs)
}
