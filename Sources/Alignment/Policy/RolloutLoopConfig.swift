import LanguageModels

/// The settings of the loop PPO and GRPO share — iterations of rollout then optimisation, how rollouts are sampled,
/// the penalty of answers cut short, minibatches, AdamW's weight decay, clipping, the KL term, the seed and the
/// cadence — embedded in `PPOConfig` and `GRPOConfig`. Defaults follow the paper where it gives a value and
/// TRL/OpenRLHF otherwise; the rollout batch and the KL term's default differ between the two.
public struct RolloutLoopConfig: Sendable, Equatable {
    /// Iterations (rollout, then optimisation). The paper ran 600–800 at its scale; default 100.
    public var iterations = 100
    /// Prompts answered per iteration (the rollout batch).
    public var promptsPerIteration: Int
    /// How rollouts are sampled: most new tokens per response (default 64) and temperature (> 0; log-probabilities,
    /// KL and entropy are computed on logits / T too, so the ratio describes the policy that sampled, TRL's way;
    /// default 1). Top-k and top-p must stay off (0 and 1): scoring uses the whole tempered distribution, and a
    /// truncated sampler would make the ratio describe another policy. End tokens and the seed are set per rollout.
    public var sampling = GenerationConfig()
    /// Subtracted from the reward-model score of a response cut at `maxNewTokens` without an end-of-turn token
    /// (TRL's `missing_eos_penalty`; ≥ 0, 0 = off). The reward model only saw complete answers and scores a cut one
    /// as if it were complete. Default 0.
    public var missingEOSPenalty: Float = 0
    /// Responses per minibatch (one optimizer step of each model). Default 8.
    public var minibatchSize = 8
    /// AdamW weight decay of every model trained. Default 0.
    public var weightDecay: Float = 0
    /// Gradient-norm clipping of each model (0 = off). Default 1.
    public var clipGradientNorm: Float = 1
    /// Policy ratio clip ε. Default 0.2.
    public var clipRange: Float = 0.2
    /// Coefficient β of the KL to the reference (PPO: the initial or fixed penalty in the reward; GRPO: the loss
    /// term).
    public var klCoefficient: Float
    /// Per-token KL estimator of that term.
    public var klEstimator: KLEstimator
    /// Seed of rollouts, data order and fresh heads. Default 0.
    public var seed: UInt64 = 0
    /// Print a progress line every this many iterations (0 = never). Default 1.
    public var logEvery = 1
    /// Save a checkpoint every this many iterations (0 = only at the end). Default 10.
    public var saveEvery = 10
    /// Keep only each block's input during the forward pass and recompute the rest in the backward pass: less memory
    /// for long sequences, one more forward pass of compute (default off).
    public var activationCheckpointing = false
    /// Drop the activations a block recomputes cheaply (norm outputs, merged attention heads, the MLP's hidden
    /// activation) and rebuild them in the backward pass: about a third less activation memory for a few percent of a
    /// step (default on).
    public var recomputeActivations = true
    /// Score every rollout again with the actor for its "old" log-probabilities and entropy, instead of taking them
    /// from the sampler that drew the tokens (TRL's way, the default): one more forward pass of the actor per
    /// iteration, and the `sampler_logprob_gap` metric that shows how far the two disagree. Default false.
    public var rescoreRollouts = false

    /// The defaults, with the algorithm's rollout batch and KL term.
    public init(promptsPerIteration: Int, klCoefficient: Float, klEstimator: KLEstimator) {
        self.promptsPerIteration = promptsPerIteration
        self.klCoefficient = klCoefficient
        self.klEstimator = klEstimator
    }

    /// The first invalid setting, as a one-line message naming `algorithm` where it matters, or nil.
    public func problem(algorithm: String) -> String? {
        if iterations < 1 { return "iterations must be at least 1" }
        if promptsPerIteration < 1 { return "promptsPerIteration must be at least 1" }
        if sampling.maxNewTokens < 1 { return "maxNewTokens must be at least 1" }
        if !(sampling.temperature > 0) || !sampling.temperature.isFinite {
            return "temperature must be positive for \(algorithm) rollouts"
        }
        if sampling.topK != 0 || sampling.topP != 1 {
            return
                "topK and topP must stay off (0 and 1) for \(algorithm) rollouts: log-probabilities are scored on the whole tempered distribution"
        }
        if !(missingEOSPenalty >= 0) || !missingEOSPenalty.isFinite {
            return "missingEOSPenalty must be a finite number ≥ 0"
        }
        if minibatchSize < 1 { return "minibatchSize must be at least 1" }
        if !(clipRange > 0) { return "clipRange must be positive" }
        if !(klCoefficient >= 0) { return "klCoefficient must be non-negative" }
        return nil
    }

    /// The settings under their config-file keys, for embedding in PPO's and GRPO's key lists.
    public static let keys: [ConfigKey<RolloutLoopConfig>] =
        [
            ConfigKey("iterations", \.iterations, help: "iterations (rollout, then optimisation)"),
            ConfigKey("promptsPerIteration", \.promptsPerIteration, help: "prompts answered per iteration"),
        ] + GenerationConfig.samplingKeys.map { $0.embedded(at: \.sampling) } + [
            ConfigKey(
                "missingEOSPenalty", \.missingEOSPenalty,
                help: "subtracted from the score of an answer cut at maxNewTokens"),
            ConfigKey("minibatchSize", \.minibatchSize, help: "responses per minibatch"),
            ConfigKey("weightDecay", \.weightDecay, help: "AdamW weight decay"),
            ConfigKey("clipGradientNorm", \.clipGradientNorm, help: "gradient-norm clipping of each model (0: off)"),
            ConfigKey("clipRange", \.clipRange, help: "policy ratio clip ε"),
            ConfigKey("klCoefficient", \.klCoefficient, help: "β of the KL to the reference"),
            ConfigKey("klEstimator", \.klEstimator, help: "per-token KL estimator: k1, k2 or k3"),
            ConfigKey("seed", \.seed, help: "seed of rollouts, data order and fresh heads"),
            ConfigKey("logEvery", \.logEvery, help: "progress-line interval in iterations (0: never)"),
            ConfigKey("saveEvery", \.saveEvery, help: "checkpoint interval in iterations (0: only at the end)"),
            ConfigKey(
                "activationCheckpointing", \.activationCheckpointing,
                help: "recompute each block's activations in the backward pass instead of keeping them"),
            ConfigKey(
                "recomputeActivations", \.recomputeActivations,
                help: "drop the activations a block recomputes cheaply (norms, SwiGLU) and rebuild them in backward"),
            ConfigKey(
                "rescoreRollouts", \.rescoreRollouts,
                help: "score rollouts again for the old log-probs instead of taking the sampler's"),
        ]
}
