import TensorEngine

/// The settings the shared training loop reads. Trainer configs (`RewardModelConfig`, and any later trainer's)
/// conform by having these fields, each documented with its default on the config itself.
public protocol TrainingLoopSettings: Sendable {
    /// Peak learning rate of AdamW.
    var learningRate: Float { get }
    /// AdamW decoupled weight decay.
    var weightDecay: Float { get }
    /// AdamW β1.
    var beta1: Float { get }
    /// AdamW β2.
    var beta2: Float { get }
    /// AdamW ε.
    var epsilon: Float { get }
    /// Optimizer updates to run.
    var steps: Int { get }
    /// Linear warmup steps before the cosine decay.
    var warmupSteps: Int { get }
    /// The learning rate at the end of the cosine, as a fraction of the peak.
    var minLearningRateRatio: Float { get }
    /// Examples per micro-batch.
    var batchSize: Int { get }
    /// Micro-batches whose gradients are summed into one update.
    var gradientAccumulation: Int { get }
    /// Global gradient-norm clipping threshold; 0 disables it.
    var clipGradientNorm: Float { get }
    /// Evaluate every this many steps; 0 only at the end.
    var evalEvery: Int { get }
    /// Save a checkpoint every this many steps; 0 only at the end.
    var saveEvery: Int { get }
    /// Seed of the data order.
    var seed: UInt64 { get }
    /// Print a progress line every this many steps; 0 never.
    var logEvery: Int { get }
}

extension TrainingLoopSettings {
    /// The warmup-then-cosine schedule these settings describe.
    public var warmupCosineSchedule: LRSchedule {
        .warmupCosine(warmupSteps: warmupSteps, totalSteps: steps, minRatio: minLearningRateRatio)
    }

    /// The first invalid loop setting, as a one-line message, or nil.
    public var loopProblem: String? {
        if !(learningRate > 0) { return "learning rate must be positive, got \(learningRate)" }
        if !(weightDecay >= 0) { return "weight decay must be ≥ 0, got \(weightDecay)" }
        if !(0..<1).contains(beta1) || !(0..<1).contains(beta2) { return "betas must be in [0, 1), got \(beta1), \(beta2)" }
        if !(epsilon >= 0) { return "epsilon must be ≥ 0, got \(epsilon)" }
        if steps < 1 { return "steps must be at least 1, got \(steps)" }
        if warmupSteps < 0 { return "warmup steps must be ≥ 0, got \(warmupSteps)" }
        if batchSize < 1 { return "batch size must be at least 1, got \(batchSize)" }
        if gradientAccumulation < 1 { return "gradient accumulation must be at least 1, got \(gradientAccumulation)" }
        if !(clipGradientNorm >= 0) { return "clip gradient norm must be ≥ 0, got \(clipGradientNorm)" }
        if evalEvery < 0 || saveEvery < 0 || logEvery < 0 { return "eval/save/log intervals must be ≥ 0" }
        return nil
    }

    /// The names of these fields in config files.
    public static var loopSettingKeys: [String] {
        ["learningRate", "weightDecay", "beta1", "beta2", "epsilon", "steps", "warmupSteps", "minLearningRateRatio",
         "batchSize", "gradientAccumulation", "clipGradientNorm", "evalEvery", "saveEvery", "seed", "logEvery"]
    }
}
