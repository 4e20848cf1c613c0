import Foundation

/// How the learning rate changes over training, as a multiplier of a base rate.
///
/// Warmup follows Hugging Face's `get_*_schedule_with_warmup` convention: at step s < warmupSteps the rate is
/// base·s/warmupSteps, so step 0 takes a zero-size step and the full rate is first reached at s = warmupSteps.
/// Decay then runs from base at s = warmupSteps to base·minRatio at s = totalSteps and stays there afterwards, so a
/// run that goes past its planned length keeps a sensible rate instead of rising again (HF's cosine would).
/// `Codable` so that a run's configuration and checkpoints can record it.
public enum LRSchedule: Sendable, Codable, Equatable {
    /// The base rate at every step.
    case constant
    /// Linear warmup over `warmupSteps`, then the base rate forever.
    case constantWithWarmup(warmupSteps: Int)
    /// Linear warmup over `warmupSteps`, then half a cosine from base down to base·`minRatio` at `totalSteps`;
    /// base·`minRatio` afterwards. The usual choice for fine-tuning: it decays slowly at first and at the end.
    case warmupCosine(warmupSteps: Int, totalSteps: Int, minRatio: Float)
    /// Linear warmup over `warmupSteps`, then a straight line from base down to base·`minRatio` at `totalSteps`;
    /// base·`minRatio` afterwards.
    case warmupLinear(warmupSteps: Int, totalSteps: Int, minRatio: Float)

    /// The rate to use for the update with index `step` (0-based: the first optimizer step is step 0).
    /// Negative steps are treated as step 0.
    public func learningRate(base: Float, step: Int) -> Float {
        Float(Double(base) * multiplier(step: max(0, step)))
    }

    /// The factor applied to the base rate, in Double so that long schedules do not accumulate Float error.
    private func multiplier(step s: Int) -> Double {
        switch self {
        case .constant:
            return 1
        case let .constantWithWarmup(warmup):
            return Self.warmup(s, warmup) ?? 1
        case let .warmupCosine(warmup, total, minRatio):
            if let w = Self.warmup(s, warmup) { return w }
            let progress = Self.progress(s, warmup, total)
            let cosine = 0.5 * (1 + cos(Double.pi * progress))
            return Double(minRatio) + (1 - Double(minRatio)) * cosine
        case let .warmupLinear(warmup, total, minRatio):
            if let w = Self.warmup(s, warmup) { return w }
            let progress = Self.progress(s, warmup, total)
            return Double(minRatio) + (1 - Double(minRatio)) * (1 - progress)
        }
    }

    /// s/warmup while warming up, nil afterwards.
    private static func warmup(_ s: Int, _ warmup: Int) -> Double? {
        s < warmup ? Double(s) / Double(warmup) : nil
    }

    /// Fraction of the decay phase completed, clamped to [0, 1]; a schedule whose total does not exceed its warmup
    /// has no decay phase and lands on the floor right after warming up.
    private static func progress(_ s: Int, _ warmup: Int, _ total: Int) -> Double {
        let span = total - warmup
        if span <= 0 { return 1 }
        return min(1, Double(s - warmup) / Double(span))
    }
}
