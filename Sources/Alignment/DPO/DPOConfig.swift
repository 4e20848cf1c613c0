import LanguageModels

/// Everything a DPO run is configured by (ChatGLM-RLHF §3). Every field has a default; a YAML or JSON config file
/// may set any subset of them (keys are the property names) and command-line flags override the file. Defaults
/// follow TRL's `DPOConfig` where the paper gives no value.
public struct DPOConfig: KeyedConfig, LoopConfigured, Equatable {
    /// The training loop's settings (peak learning rate 1e-6, TRL's; the paper's PPO used 1e-6 too; tiny models need
    /// more; a batch is that many pairs, chosen and rejected sides in one forward pass; the seed also drives on-policy
    /// sampling); they read as the config's own (`config.steps`).
    public var loop = TrainingLoopConfig(learningRate: 1e-6)
    /// LoRA (off by default: every weight trains).
    public var lora = LoRAConfig()

    // MARK: The DPO objective

    /// β: the strength of the implicit KL constraint to the reference, and the scale of the implicit rewards
    /// β·log(π/π_ref) (default 0.1, TRL's).
    public var beta: Float = 0.1
    /// The preference loss: `sigmoid` (DPO) or `ipo` (default sigmoid).
    public var lossType: DPOLossType = .sigmoid
    /// Conservative-DPO label smoothing: the assumed share of flipped labels, in [0, 0.5); sigmoid loss only
    /// (default 0).
    public var labelSmoothing: Float = 0
    /// Coefficient of an SFT (next-token) loss on the chosen responses added to the preference loss, which keeps
    /// their likelihood from falling as DPO widens the margin (RPO); 0 turns it off (default 0).
    public var sftCoefficient: Float = 0
    /// Longest prompt in tokens; longer prompts keep their last tokens, nearest the response (default 256).
    public var maxPromptLength: Int = 256
    /// Longest prompt + response in tokens; longer responses keep their first tokens (default 512).
    public var maxLength: Int = 512

    // MARK: On-policy pairs (paper: sampled from the policy, labelled by the reward model)

    /// Responses sampled per prompt; the reward model's best and worst become chosen and rejected. The paper gives
    /// no number (default 4, our choice).
    public var samplesPerPrompt: Int = 4
    /// How on-policy answers are sampled: most new tokens (default 64), temperature (> 0, so the samples differ;
    /// default 1), top-k (0 keeps all tokens, the default) and top-p (1 keeps all, the default). End tokens and the
    /// seed are set at each batch.
    public var sampling = GenerationConfig()
    /// A prompt gives a pair only when its best and worst scores differ by more than this; the others carry no
    /// preference (default 0: any strict difference).
    public var minScoreGap: Float = 0
    /// Let samples cut at `maxNewTokens` without an end-of-turn token become chosen or rejected answers. The reward
    /// model only saw complete answers, so by default a prompt's pair is made from its complete samples alone
    /// (default false).
    public var keepTruncatedSamples: Bool = false
    /// Prompts whose samples are generated together, in one KV-cache batch of `generationBatchSize ×
    /// samplesPerPrompt` sequences (default 8).
    public var generationBatchSize: Int = 8

    /// The defaults.
    public init() {}

    /// The first invalid setting, as a one-line message, or nil.
    public var problem: String? {
        if let problem = loop.problem { return problem }
        if let problem = lora.problem(activationCheckpointing: loop.activationCheckpointing) { return problem }
        if !(beta > 0) || !beta.isFinite { return "beta must be positive, got \(beta)" }
        if !(labelSmoothing >= 0 && labelSmoothing < 0.5) {
            return "label smoothing must be in [0, 0.5), got \(labelSmoothing)"
        }
        if lossType == .ipo && labelSmoothing != 0 { return "label smoothing applies to the sigmoid loss, not to ipo" }
        if !(sftCoefficient >= 0) || !sftCoefficient.isFinite {
            return "sft coefficient must be ≥ 0, got \(sftCoefficient)"
        }
        if maxPromptLength < 1 { return "max prompt length must be at least 1, got \(maxPromptLength)" }
        if maxLength <= maxPromptLength {
            return
                "max length (\(maxLength)) must exceed max prompt length (\(maxPromptLength)) to leave room for a response"
        }
        if samplesPerPrompt < 2 {
            return "samples per prompt must be at least 2 (a best and a worst), got \(samplesPerPrompt)"
        }
        if sampling.maxNewTokens < 1 { return "max new tokens must be at least 1, got \(sampling.maxNewTokens)" }
        if !(sampling.temperature > 0) || !sampling.temperature.isFinite {
            return "temperature must be positive for sampling, got \(sampling.temperature)"
        }
        if let problem = sampling.problem { return problem }
        if !(minScoreGap >= 0) { return "min score gap must be ≥ 0, got \(minScoreGap)" }
        if generationBatchSize < 1 { return "generation batch size must be at least 1, got \(generationBatchSize)" }
        return nil
    }

    /// Every setting under its config-file key.
    public static let keys: [ConfigKey<DPOConfig>] =
        TrainingLoopConfig.keys.map { $0.embedded(at: \.loop) } + [
            ConfigKey("beta", \.beta, help: "β: strength of the implicit KL constraint to the reference"),
            ConfigKey("lossType", \.lossType, help: "preference loss: sigmoid (DPO) or ipo"),
            ConfigKey(
                "labelSmoothing", \.labelSmoothing, help: "assumed share of flipped labels, in [0, 0.5) (sigmoid loss)"),
            ConfigKey(
                "sftCoefficient", \.sftCoefficient, help: "coefficient of the SFT loss on chosen answers (0: off)"),
            ConfigKey("maxPromptLength", \.maxPromptLength, help: "tokens per prompt (longer prompts keep their end)"),
            ConfigKey("maxLength", \.maxLength, help: "tokens per prompt + answer"),
            ConfigKey("samplesPerPrompt", \.samplesPerPrompt, help: "on-policy samples per prompt"),
        ] + GenerationConfig.samplingKeys.map { $0.embedded(at: \.sampling) } + [
            ConfigKey("minScoreGap", \.minScoreGap, help: "on-policy: least best-minus-worst score that makes a pair"),
            ConfigKey(
                "keepTruncatedSamples", \.keepTruncatedSamples,
                help: "on-policy: answers cut at maxNewTokens may become chosen or rejected"),
            ConfigKey("generationBatchSize", \.generationBatchSize, help: "on-policy: prompts sampled together"),
        ] + LoRAConfig.keys.map { $0.embedded(at: \.lora) }
}
