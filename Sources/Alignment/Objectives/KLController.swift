import TensorEngine

/// The coefficient β of PPO's KL penalty, fixed or adapted toward a target KL (Ziegler et al. 2019, "Fine-Tuning
/// Language Models from Human Preferences"; TRL's `FixedKLController` and `AdaptiveKLController`).
///
/// Adaptive control after each batch:
///
///     error = clip(KL / target − 1, −0.2, 0.2)
///     β    ← β · (1 + error · steps / horizon)
///
/// so β grows while the policy drifts beyond the target KL and shrinks while it stays closer, by at most 20% per
/// horizon's worth of steps. A `Codable` value: the trainer keeps it in its checkpoint state, so a resumed run
/// continues with the same β.
public struct KLController: Codable, Sendable, Equatable {
    /// How an adaptive controller moves β.
    public struct Adaptation: Codable, Sendable, Equatable {
        /// The KL (nats per sequence) to steer toward.
        public let target: Float
        /// Steps (samples) over which a full proportional error acts on β.
        public let horizon: Int
    }

    /// The current coefficient β.
    public private(set) var coefficient: Float
    /// How β adapts; nil for a fixed coefficient.
    public let adaptation: Adaptation?

    /// Ziegler et al.'s bound on the proportional error, so one noisy KL reading cannot swing β far.
    public static let maximumProportionalError: Float = 0.2

    /// A coefficient that never changes (OpenRLHF's default, with β = 0.01 there).
    public static func fixed(coefficient: Float) -> KLController {
        KLController(coefficient: coefficient, adaptation: nil)
    }

    /// Ziegler's adaptive controller. The defaults β₀ = 0.2, target 6, horizon 10 000 are TRL's (`init_kl_coef`,
    /// `target`, `horizon`) and those of the rl.json fixture.
    public static func adaptive(initialCoefficient: Float = 0.2, target: Float = 6, horizon: Int = 10_000)
        -> KLController
    {
        if !(target > 0) || horizon <= 0 {
            engineFailure("KLController.adaptive", "target \(target) and horizon \(horizon) must be positive")
        }
        return KLController(coefficient: initialCoefficient, adaptation: Adaptation(target: target, horizon: horizon))
    }

    /// Takes the mean KL per sequence measured on the last batch and the number of samples (`steps`) it covered.
    /// A fixed controller ignores it. A non-finite KL stops the program: it would turn β into NaN for good, so the
    /// trainer's NaN guard must catch it first.
    public mutating func update(currentKL: Float, steps: Int) {
        guard let adaptation else { return }
        if !currentKL.isFinite { engineFailure("KLController.update", "KL \(currentKL) is not finite") }
        let bound = Self.maximumProportionalError
        let error = Swift.min(Swift.max(currentKL / adaptation.target - 1, -bound), bound)
        coefficient *= 1 + error * Float(steps) / Float(adaptation.horizon)
    }
}
