import TensorEngine

/// The settings of the shared training loop — AdamW, the warmup-then-cosine schedule, batching, accumulation,
/// clipping, and the evaluation, checkpoint and progress cadence — embedded in the SFT, reward-model and DPO configs.
/// Only the learning rate's default differs between trainers; the rest default alike.
public struct TrainingLoopConfig: Sendable, Equatable {
    /// Peak learning rate of AdamW.
    public var learningRate: Float
    /// AdamW decoupled weight decay (default 0).
    public var weightDecay: Float = 0
    /// AdamW β1 (default 0.9).
    public var beta1: Float = 0.9
    /// AdamW β2 (default 0.999).
    public var beta2: Float = 0.999
    /// AdamW ε (default 1e-8).
    public var epsilon: Float = 1e-8
    /// Optimizer updates to run (default 100).
    public var steps: Int = 100
    /// Linear warmup steps before the cosine decay (default 10).
    public var warmupSteps: Int = 10
    /// The learning rate at the end of the cosine, as a fraction of the peak (default 0.1).
    public var minLearningRateRatio: Float = 0.1
    /// Examples (sequences or pairs) per micro-batch (default 8).
    public var batchSize: Int = 8
    /// Micro-batches whose gradients are summed into one update (default 1).
    public var gradientAccumulation: Int = 1
    /// Global gradient-norm clipping threshold; 0 disables it (default 1).
    public var clipGradientNorm: Float = 1
    /// Evaluate every this many steps; 0 only at the end (default 50).
    public var evalEvery: Int = 50
    /// Save a checkpoint every this many steps; 0 only at the end (default 100).
    public var saveEvery: Int = 100
    /// Seed of the data order, and of whatever else the trainer draws (default 0).
    public var seed: UInt64 = 0
    /// Print a progress line every this many steps; 0 never (default 1).
    public var logEvery: Int = 1
    /// Under data parallelism, compare a checksum of the trainable weights across ranks every this many steps (and
    /// always at the start and the end); a mismatch stops the run. 0: only at the start and the end (default 10).
    public var weightCheckEvery: Int = 10
    /// Keep only each block's input during the forward pass and recompute the rest in the backward pass: less memory
    /// for long sequences, one more forward pass of compute (default off).
    public var activationCheckpointing = false
    /// Drop the activations a block recomputes cheaply (norm outputs, merged attention heads, the MLP's hidden
    /// activation) and rebuild them in the backward pass: about a third less activation memory for a few percent of a
    /// step (default on).
    public var recomputeActivations = true

    /// The defaults, with the trainer's peak learning rate.
    public init(learningRate: Float) {
        self.learningRate = learningRate
    }

    /// The warmup-then-cosine schedule these settings describe.
    public var schedule: LRSchedule {
        .warmupCosine(warmupSteps: warmupSteps, totalSteps: steps, minRatio: minLearningRateRatio)
    }

    /// The first invalid setting, as a one-line message, or nil.
    public var problem: String? {
        if !(learningRate > 0) { return "learning rate must be positive, got \(learningRate)" }
        if !(weightDecay >= 0) { return "weight decay must be ≥ 0, got \(weightDecay)" }
        if !(0..<1).contains(beta1) || !(0..<1).contains(beta2) {
            return "betas must be in [0, 1), got \(beta1), \(beta2)"
        }
        if !(epsilon >= 0) { return "epsilon must be ≥ 0, got \(epsilon)" }
        if steps < 1 { return "steps must be at least 1, got \(steps)" }
        if warmupSteps < 0 { return "warmup steps must be ≥ 0, got \(warmupSteps)" }
        if batchSize < 1 { return "batch size must be at least 1, got \(batchSize)" }
        if gradientAccumulation < 1 { return "gradient accumulation must be at least 1, got \(gradientAccumulation)" }
        if !(clipGradientNorm >= 0) { return "clip gradient norm must be ≥ 0, got \(clipGradientNorm)" }
        if evalEvery < 0 || saveEvery < 0 || logEvery < 0 || weightCheckEvery < 0 {
            return "eval/save/log/weight-check intervals must be ≥ 0"
        }
        return nil
    }

    /// The settings under their config-file keys, for embedding in a trainer's key list.
    public static let keys: [ConfigKey<TrainingLoopConfig>] = [
        ConfigKey("learningRate", \.learningRate, help: "peak learning rate of AdamW"),
        ConfigKey("weightDecay", \.weightDecay, help: "AdamW decoupled weight decay"),
        ConfigKey("beta1", \.beta1, help: "AdamW β1"),
        ConfigKey("beta2", \.beta2, help: "AdamW β2"),
        ConfigKey("epsilon", \.epsilon, help: "AdamW ε"),
        ConfigKey("steps", \.steps, help: "optimizer updates"),
        ConfigKey("warmupSteps", \.warmupSteps, help: "linear warmup steps before the cosine decay"),
        ConfigKey(
            "minLearningRateRatio", \.minLearningRateRatio, help: "final learning rate as a fraction of the peak"),
        ConfigKey("batchSize", \.batchSize, help: "examples per micro-batch"),
        ConfigKey("gradientAccumulation", \.gradientAccumulation, help: "micro-batches per update"),
        ConfigKey("clipGradientNorm", \.clipGradientNorm, help: "gradient-norm clipping threshold (0: off)"),
        ConfigKey("evalEvery", \.evalEvery, help: "evaluation interval in steps (0: only at the end)"),
        ConfigKey("saveEvery", \.saveEvery, help: "checkpoint interval in steps (0: only at the end)"),
        ConfigKey("seed", \.seed, help: "seed of the data order and of what the trainer samples"),
        ConfigKey("logEvery", \.logEvery, help: "progress-line interval in steps (0: never)"),
        ConfigKey(
            "weightCheckEvery", \.weightCheckEvery,
            help: "under MPI, interval in steps of the cross-rank weight checksum (0: start and end only)"),
        ConfigKey(
            "activationCheckpointing", \.activationCheckpointing,
            help: "recompute each block's activations in the backward pass instead of keeping them"),
        ConfigKey(
            "recomputeActivations", \.recomputeActivations,
            help: "drop the activations a block recomputes cheaply (norms, SwiGLU) and rebuild them in backward"),
    ]
}
