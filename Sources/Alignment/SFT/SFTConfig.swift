/// Everything an SFT run needs besides its data and model: the training loop's settings (peak learning rate 1e-4)
/// and the longest example. A YAML or JSON config file may set any subset of `keys`, and command-line options
/// override the file.
public struct SFTConfig: KeyedConfig, LoopConfigured, Equatable {
    /// The training loop's settings; they read as the config's own (`config.steps`).
    public var loop = TrainingLoopConfig(learningRate: 1e-4)
    /// LoRA (off by default: every weight trains).
    public var lora = LoRAConfig()
    /// Longer examples are cut to this many tokens (default 512).
    public var maxLength: Int = 512

    /// The defaults.
    public init() {}

    /// The first invalid setting, as a one-line message, or nil.
    public var problem: String? {
        if let problem = loop.problem { return problem }
        if let problem = lora.problem(activationCheckpointing: loop.activationCheckpointing) { return problem }
        if maxLength < 2 { return "max length must be at least 2, got \(maxLength)" }
        return nil
    }

    /// Every setting under its config-file key.
    public static let keys: [ConfigKey<SFTConfig>] =
        TrainingLoopConfig.keys.map { $0.embedded(at: \.loop) } + [
            ConfigKey("maxLength", \.maxLength, help: "longer examples are cut to this many tokens")
        ] + LoRAConfig.keys.map { $0.embedded(at: \.lora) }
}
