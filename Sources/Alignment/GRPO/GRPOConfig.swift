/// Everything a GRPO run is configured by (DeepSeekMath's group-relative policy optimisation: no critic; each
/// prompt is answered `groupSize` times and every response's advantage is its reward normalised within its group).
/// Every field has a default; YAML/JSON config files and command-line options override them.
public struct GRPOConfig: KeyedConfig, LoopConfigured, Equatable {
    /// The rollout loop's settings (8 prompts per iteration, each answered `groupSize` times; the missing-EOS
    /// penalty applies before the group normalisation; KL loss β 0.04 with the k3 estimator, unbiased and
    /// non-negative, as DeepSeekMath); they read as the config's own (`config.iterations`).
    public var loop = RolloutLoopConfig(promptsPerIteration: 8, klCoefficient: 0.04, klEstimator: .k3)
    /// LoRA (off by default: every weight trains).
    public var lora = LoRAConfig()
    /// Responses per prompt, G (≥ 2). Default 4.
    public var groupSize = 4
    /// Passes over each iteration's responses. Default 1.
    public var epochs = 1
    /// AdamW learning rate (constant). Default 1e-5.
    public var learningRate: Float = 1e-5
    /// Divide group-centred rewards by the group's standard deviation (false: Dr. GRPO's centring only). Default true.
    public var scaleAdvantagesByStd = true

    /// The defaults.
    public init() {}

    /// What is wrong with the settings, if anything.
    public var problem: String? {
        if let problem = loop.problem(algorithm: "GRPO") { return problem }
        if let problem = lora.problem(activationCheckpointing: loop.activationCheckpointing) { return problem }
        if groupSize < 2 { return "groupSize must be at least 2 (advantages are relative to the group)" }
        if epochs < 1 { return "epochs must be at least 1" }
        if !(learningRate >= 0) { return "learningRate must be non-negative" }
        return nil
    }

    /// Every setting under its config-file key.
    public static let keys: [ConfigKey<GRPOConfig>] =
        RolloutLoopConfig.keys.map { $0.embedded(at: \.loop) } + [
            ConfigKey("groupSize", \.groupSize, help: "responses per prompt, G (≥ 2)"),
            ConfigKey("epochs", \.epochs, help: "passes over each iteration's responses"),
            ConfigKey("learningRate", \.learningRate, help: "AdamW learning rate (constant)"),
            ConfigKey(
                "scaleAdvantagesByStd", \.scaleAdvantagesByStd, help: "divide group-centred rewards by the group's std"),
        ] + LoRAConfig.keys.map { $0.embedded(at: \.lora) }
}
