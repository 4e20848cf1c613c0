/// Everything a DPO run is configured by (ChatGLM-RLHF §3). Every field has a default; a YAML or JSON config file
/// may set any subset of them (keys are the property names) and command-line flags override the file. Defaults
/// follow TRL's `DPOConfig` where the paper gives no value.
public struct DPOConfig: TrainingLoopSettings, Codable, Equatable {
    // MARK: Optimisation (the shared training loop)

    /// Peak learning rate of AdamW (default 1e-6, TRL's; the paper's PPO used 1e-6 too; tiny models need more).
    public var learningRate: Float = 1e-6
    /// AdamW decoupled weight decay (default 0.0).
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
    /// Pairs per micro-batch; chosen and rejected sides share one forward pass (default 8).
    public var batchSize: Int = 8
    /// Micro-batches whose gradients are summed into one update (default 1).
    public var gradientAccumulation: Int = 1
    /// Global gradient-norm clipping threshold; 0 disables it (default 1.0).
    public var clipGradientNorm: Float = 1
    /// Evaluate on the held-out pairs every this many steps; 0 only at the end (default 50).
    public var evalEvery: Int = 50
    /// Save a checkpoint every this many steps; 0 only at the end (default 100).
    public var saveEvery: Int = 100
    /// Seed of the data order and of on-policy sampling (default 0).
    public var seed: UInt64 = 0
    /// Print a progress line every this many steps; 0 never (default 1).
    public var logEvery: Int = 1

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
    /// Most new tokens per sampled response (default 64).
    public var maxNewTokens: Int = 64
    /// Sampling temperature (> 0, so the samples differ) (default 1).
    public var temperature: Float = 1
    /// Top-k truncation of sampling; 0 keeps all tokens (default 0).
    public var topK: Int = 0
    /// Nucleus truncation of sampling; 1 keeps all tokens (default 1).
    public var topP: Float = 1
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
        if let problem = loopProblem { return problem }
        if !(beta > 0) || !beta.isFinite { return "beta must be positive, got \(beta)" }
        if !(labelSmoothing >= 0 && labelSmoothing < 0.5) { return "label smoothing must be in [0, 0.5), got \(labelSmoothing)" }
        if lossType == .ipo && labelSmoothing != 0 { return "label smoothing applies to the sigmoid loss, not to ipo" }
        if !(sftCoefficient >= 0) || !sftCoefficient.isFinite { return "sft coefficient must be ≥ 0, got \(sftCoefficient)" }
        if maxPromptLength < 1 { return "max prompt length must be at least 1, got \(maxPromptLength)" }
        if maxLength <= maxPromptLength {
            return "max length (\(maxLength)) must exceed max prompt length (\(maxPromptLength)) to leave room for a response"
        }
        if samplesPerPrompt < 2 { return "samples per prompt must be at least 2 (a best and a worst), got \(samplesPerPrompt)" }
        if maxNewTokens < 1 { return "max new tokens must be at least 1, got \(maxNewTokens)" }
        if !(temperature > 0) || !temperature.isFinite { return "temperature must be positive for sampling, got \(temperature)" }
        if topK < 0 { return "top-k must be ≥ 0, got \(topK)" }
        if !(topP > 0 && topP <= 1) { return "top-p must be in (0, 1], got \(topP)" }
        if !(minScoreGap >= 0) { return "min score gap must be ≥ 0, got \(minScoreGap)" }
        if generationBatchSize < 1 { return "generation batch size must be at least 1, got \(generationBatchSize)" }
        return nil
    }

    /// The names of the settings in config files.
    public static var keys: [String] {
        loopSettingKeys + ["beta", "lossType", "labelSmoothing", "sftCoefficient", "maxPromptLength", "maxLength",
                           "samplesPerPrompt", "maxNewTokens", "temperature", "topK", "topP", "minScoreGap",
                           "keepTruncatedSamples", "generationBatchSize"]
    }
}

extension DPOConfig {
    /// Decodes any subset of the fields; missing ones keep their defaults, unknown keys are rejected.
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: AnyKey.self)
        try c.rejectUnknownKeys(Self.keys)
        try c.read("learningRate", &learningRate); try c.read("weightDecay", &weightDecay)
        try c.read("beta1", &beta1); try c.read("beta2", &beta2); try c.read("epsilon", &epsilon)
        try c.read("steps", &steps); try c.read("warmupSteps", &warmupSteps)
        try c.read("minLearningRateRatio", &minLearningRateRatio); try c.read("batchSize", &batchSize)
        try c.read("gradientAccumulation", &gradientAccumulation); try c.read("clipGradientNorm", &clipGradientNorm)
        try c.read("evalEvery", &evalEvery); try c.read("saveEvery", &saveEvery); try c.read("seed", &seed)
        try c.read("logEvery", &logEvery)
        try c.read("beta", &beta); try c.read("lossType", &lossType); try c.read("labelSmoothing", &labelSmoothing)
        try c.read("sftCoefficient", &sftCoefficient); try c.read("maxPromptLength", &maxPromptLength)
        try c.read("maxLength", &maxLength)
        try c.read("samplesPerPrompt", &samplesPerPrompt); try c.read("maxNewTokens", &maxNewTokens)
        try c.read("temperature", &temperature); try c.read("topK", &topK); try c.read("topP", &topP)
        try c.read("minScoreGap", &minScoreGap); try c.read("keepTruncatedSamples", &keepTruncatedSamples)
        try c.read("generationBatchSize", &generationBatchSize)
    }
}
