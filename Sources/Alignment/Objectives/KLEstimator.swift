import TensorEngine

/// Per-token estimators of KL(π ‖ π_ref) from log-probabilities of tokens sampled from π (Schulman, "Approximating
/// KL divergence", 2020). With log r = log π_ref − log π:
///
///     k1 = log π − log π_ref         unbiased, high variance, can be negative
///     k2 = ½·(log π − log π_ref)²    biased, low variance, never negative
///     k3 = r − 1 − log r             unbiased, low variance, never negative
///
/// k1 is the classic PPO reward penalty (TRL, OpenRLHF default); k3 is GRPO's KL loss (DeepSeekMath).
public enum KLEstimator: String, Codable, Sendable, CaseIterable {
    case k1, k2, k3

    /// The estimate at every position, shaped like the inputs. Differentiable in both, so it can serve as a loss
    /// term (GRPO) as well as a reward penalty (PPO); reduce it over response tokens with `maskedMean`.
    public func estimate(logProbs: Tensor, referenceLogProbs: Tensor) -> Tensor {
        ObjectiveChecks.sameShape(
            "KLEstimator.\(rawValue)", ["logProbs": logProbs, "referenceLogProbs": referenceLogProbs])
        switch self {
        case .k1:
            return logProbs - referenceLogProbs
        case .k2:
            return (logProbs - referenceLogProbs).square() * 0.5
        case .k3:
            let logRatio = referenceLogProbs - logProbs
            return logRatio.exp() - 1 - logRatio
        }
    }
}
