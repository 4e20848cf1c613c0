/// Everything a PPO run is configured by (ChatGLM-RLHF §3). Every field has a default; YAML/JSON config files and
/// command-line flags override them. Defaults follow the paper where it gives a value and TRL/OpenRLHF otherwise.
public struct PPOConfig: KeyedConfig, LoopConfigured, Equatable {
    /// The rollout loop's settings (16 prompts per iteration; the missing-EOS penalty applies to the reference
    /// baseline's answers too; initial or fixed KL coefficient β 0.05 of the per-token penalty −β·KL(actor ‖
    /// reference) with the k1 log-ratio estimator, as TRL/OpenRLHF); they read as the config's own
    /// (`config.iterations`).
    public var loop = RolloutLoopConfig(promptsPerIteration: 16, klCoefficient: 0.05, klEstimator: .k1)
    /// LoRA (off by default: every weight trains).
    public var lora = LoRAConfig()

    // MARK: Optimisation

    /// Passes over each iteration's experience. Default 1 (OpenRLHF); InstructGPT used 4.
    public var ppoEpochs = 1
    /// Responses per forward and backward pass within a minibatch (gradient accumulation, each piece weighted by its
    /// share of the minibatch's response tokens: the same gradient up to rounding); 0 = the whole minibatch at once.
    /// Smaller pieces hold fewer activations. Default 0.
    public var microBatchSize = 0
    /// Actor learning rate (AdamW, constant). The paper used 1e-6 on 6B/32B models; small models need more.
    /// Default 1e-5.
    public var actorLearningRate: Float = 1e-5
    /// Critic learning rate (AdamW, constant). Default 1e-5.
    public var criticLearningRate: Float = 1e-5
    /// Value clip around the rollout values (nil = unclipped). Default 0.2.
    public var valueClipRange: Float? = 0.2
    /// Discount γ. Default 1 (rewards are per response).
    public var gamma: Float = 1
    /// GAE λ. Default 0.95.
    public var lambda: Float = 0.95
    /// Whiten advantages over each iteration's response tokens. Default false: the paper uses no normalisation
    /// when the reference baseline is on.
    public var whitenAdvantages = false

    // MARK: KL penalty

    /// Target KL per response for the adaptive (Ziegler) controller; nil keeps β fixed. Default nil.
    public var klTarget: Float? = nil
    /// Horizon of the adaptive controller, in responses. Default 10,000.
    public var klHorizon = 10_000

    // MARK: The paper's stabilisers

    /// Reference baseline (paper): before training the reference model answers every prompt once and training uses
    /// r(x, y) − r(x, y_ref). Default true.
    public var referenceBaseline = true
    /// Reference answers per prompt the baseline averages. One answer's score carries its own sampling noise into
    /// every advantage; averaging k answers divides that variance by k. Default 1 (the paper's single answer).
    public var referenceBaselineSamples = 1
    /// PTX coefficient γ of the next-token loss on SFT data added to the actor's loss (paper: against forgetting);
    /// 0 turns it off. Default 0 (on when an SFT dataset is given and this is set).
    public var ptxCoefficient: Float = 0
    /// SFT examples per PTX batch. Default 8.
    public var ptxBatchSize = 8
    /// Prompt filtering (paper): sample this many responses per prompt before training and drop prompts whose
    /// reward variance is below `promptFilterMinVariance`; 0 = off. Default 0.
    public var promptFilterSamples = 0
    /// The variance ε below which a prompt is dropped. Default 1e-4.
    public var promptFilterMinVariance: Float = 1e-4

    // MARK: Roles, bookkeeping

    /// Initialise the critic from the reward model (true) or from the SFT model with a fresh head. Default true.
    public var criticFromRewardModel = true

    /// The defaults.
    public init() {}

    /// What is wrong with the settings, if anything.
    public var problem: String? {
        if let problem = loop.problem(algorithm: "PPO") { return problem }
        if let problem = lora.problem(activationCheckpointing: loop.activationCheckpointing) { return problem }
        if ppoEpochs < 1 { return "ppoEpochs must be at least 1" }
        if microBatchSize < 0 { return "microBatchSize must be 0 (the whole minibatch) or positive" }
        if referenceBaselineSamples < 1 { return "referenceBaselineSamples must be at least 1" }
        if !(actorLearningRate >= 0) || !(criticLearningRate >= 0) { return "learning rates must be non-negative" }
        if let t = klTarget, !(t > 0) { return "klTarget must be positive" }
        if !(gamma >= 0 && gamma <= 1) || !(lambda >= 0 && lambda <= 1) { return "gamma and lambda must be in [0, 1]" }
        if !(ptxCoefficient >= 0) { return "ptxCoefficient must be non-negative" }
        if promptFilterSamples == 1 || promptFilterSamples < 0 {
            return "promptFilterSamples must be 0 (off) or at least 2"
        }
        return nil
    }
}

extension PPOConfig {
    /// Every setting under its config-file key, and `truncationPenalty`, the earlier name of `missingEOSPenalty`.
    public static let keys: [ConfigKey<PPOConfig>] =
        RolloutLoopConfig.keys.map { $0.embedded(at: \.loop) } + [
            ConfigKey("ppoEpochs", \.ppoEpochs, help: "passes over each iteration's experience"),
            ConfigKey(
                "microBatchSize", \.microBatchSize,
                help: "responses per forward/backward within a minibatch (0: all at once)"),
            ConfigKey("actorLearningRate", \.actorLearningRate, help: "actor learning rate (AdamW, constant)"),
            ConfigKey("criticLearningRate", \.criticLearningRate, help: "critic learning rate (AdamW, constant)"),
            ConfigKey(
                "valueClipRange", \.valueClipRange, help: "value clip around the rollout values (none: unclipped)"),
            ConfigKey("gamma", \.gamma, help: "discount γ"),
            ConfigKey("lambda", \.lambda, help: "GAE λ"),
            ConfigKey("whitenAdvantages", \.whitenAdvantages, help: "whiten advantages over each iteration"),
            ConfigKey(
                "klTarget", \.klTarget, help: "target KL per response of the adaptive controller (none: β fixed)"),
            ConfigKey("klHorizon", \.klHorizon, help: "horizon of the adaptive controller, in responses"),
            ConfigKey("referenceBaseline", \.referenceBaseline, help: "reward minus the reference answer's (paper)"),
            ConfigKey(
                "referenceBaselineSamples", \.referenceBaselineSamples, help: "reference answers the baseline averages"),
            ConfigKey("ptxCoefficient", \.ptxCoefficient, help: "PTX coefficient γ of the SFT loss (0: off)"),
            ConfigKey("ptxBatchSize", \.ptxBatchSize, help: "SFT examples per PTX batch"),
            ConfigKey(
                "promptFilterSamples", \.promptFilterSamples, help: "samples per prompt of prompt filtering (0: off)"),
            ConfigKey(
                "promptFilterMinVariance", \.promptFilterMinVariance,
                help: "reward variance below which a prompt is dropped"),
            ConfigKey(
                "criticFromRewardModel", \.criticFromRewardModel,
                help: "critic from the reward model, else from the policy"),
            ConfigKey(legacy: "truncationPenalty", read: readLegacyTruncationPenalty),
        ] + LoRAConfig.keys.map { $0.embedded(at: \.lora) }

    /// `truncationPenalty`, the earlier name of `missingEOSPenalty`, was a reward *added* to a cut answer (negative
    /// to penalise); old config files keep working with its sign turned.
    private static func readLegacyTruncationPenalty(
        _ config: inout PPOConfig, _ c: KeyedDecodingContainer<ConfigCodingKey>
    ) throws {
        let key = ConfigCodingKey("truncationPenalty")
        guard let added = try c.decodeIfPresent(Float.self, forKey: key) else { return }
        if c.contains(ConfigCodingKey("missingEOSPenalty")) {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c,
                debugDescription:
                    "give missingEOSPenalty only (truncationPenalty is its earlier name)")
        }
        guard added <= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c,
                debugDescription:
                    "truncationPenalty (now missingEOSPenalty, subtracted) must be ≤ 0, got \(added)")
        }
        config.loop.missingEOSPenalty = -added
    }
}
