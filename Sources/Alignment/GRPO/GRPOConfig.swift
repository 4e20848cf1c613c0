/// Everything a GRPO run is configured by (DeepSeekMath's group-relative policy optimisation: no critic; each
/// prompt is answered `groupSize` times and every response's advantage is its reward normalised within its group).
/// Every field has a default; YAML/JSON config files and command-line flags override them.
public struct GRPOConfig: Codable, Equatable, Sendable {
    /// Iterations (rollout, then optimisation). Default 100.
    public var iterations = 100
    /// Prompts per iteration; each is answered `groupSize` times. Default 8.
    public var promptsPerIteration = 8
    /// Responses per prompt, G (≥ 2). Default 4.
    public var groupSize = 4
    /// Most new tokens per response. Default 64.
    public var maxNewTokens = 64
    /// Sampling temperature (> 0). Log-probabilities, KL and entropy are computed on logits / T too, so the ratio
    /// describes the policy that sampled (TRL's way). Default 1.
    public var temperature: Float = 1
    /// Top-k truncation: must stay 0 (off), since scoring uses the whole tempered distribution. Default 0.
    public var topK = 0
    /// Nucleus truncation: must stay 1 (off), for the same reason. Default 1.
    public var topP: Float = 1
    /// Subtracted from the reward-model score of a response cut at `maxNewTokens` without an end-of-turn token,
    /// before the group normalisation (TRL's `missing_eos_penalty`; ≥ 0, 0 = off). Default 0.
    public var missingEOSPenalty: Float = 0
    /// Passes over each iteration's responses. Default 1.
    public var epochs = 1
    /// Responses per minibatch (one optimizer step). Default 8.
    public var minibatchSize = 8
    /// AdamW learning rate (constant). Default 1e-5.
    public var learningRate: Float = 1e-5
    /// AdamW weight decay. Default 0.
    public var weightDecay: Float = 0
    /// Gradient-norm clipping (0 = off). Default 1.
    public var clipGradientNorm: Float = 1
    /// Policy ratio clip ε. Default 0.2.
    public var clipRange: Float = 0.2
    /// β of the KL-to-reference loss term. Default 0.04 (DeepSeekMath).
    public var klCoefficient: Float = 0.04
    /// Per-token KL estimator of that term. Default k3 (unbiased, non-negative; DeepSeekMath).
    public var klEstimator: KLEstimator = .k3
    /// Divide group-centred rewards by the group's standard deviation (false: Dr. GRPO's centring only). Default true.
    public var scaleAdvantagesByStd = true
    /// Seed of rollouts and minibatch order. Default 0.
    public var seed: UInt64 = 0
    /// Print a progress line every this many iterations (0 = never). Default 1.
    public var logEvery = 1
    /// Save a checkpoint every this many iterations (0 = only at the end). Default 10.
    public var saveEvery = 10

    /// The defaults.
    public init() {}

    /// What is wrong with the settings, if anything.
    public var problem: String? {
        if iterations < 1 { return "iterations must be at least 1" }
        if promptsPerIteration < 1 { return "promptsPerIteration must be at least 1" }
        if groupSize < 2 { return "groupSize must be at least 2 (advantages are relative to the group)" }
        if maxNewTokens < 1 { return "maxNewTokens must be at least 1" }
        if !(temperature > 0) || !temperature.isFinite { return "temperature must be positive for GRPO rollouts" }
        if topK != 0 || topP != 1 {
            return "topK and topP must stay off (0 and 1) for GRPO rollouts: log-probabilities are scored on the whole tempered distribution"
        }
        if !(missingEOSPenalty >= 0) || !missingEOSPenalty.isFinite { return "missingEOSPenalty must be a finite number ≥ 0" }
        if epochs < 1 || minibatchSize < 1 { return "epochs and minibatchSize must be at least 1" }
        if !(learningRate >= 0) { return "learningRate must be non-negative" }
        if !(clipRange > 0) { return "clipRange must be positive" }
        if !(klCoefficient >= 0) { return "klCoefficient must be non-negative" }
        return nil
    }
}

extension GRPOConfig {
    static let keys = ["iterations", "promptsPerIteration", "groupSize", "maxNewTokens", "temperature", "topK", "topP",
                       "missingEOSPenalty", "epochs", "minibatchSize", "learningRate", "weightDecay", "clipGradientNorm", "clipRange",
                       "klCoefficient", "klEstimator", "scaleAdvantagesByStd", "seed", "logEvery", "saveEvery"]

    /// Decodes any subset of the fields (same names as the properties); missing ones keep their defaults, unknown
    /// ones are an error.
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: AnyKey.self)
        try c.rejectUnknownKeys(Self.keys)
        try c.read("iterations", &iterations); try c.read("promptsPerIteration", &promptsPerIteration)
        try c.read("groupSize", &groupSize); try c.read("maxNewTokens", &maxNewTokens)
        try c.read("temperature", &temperature); try c.read("topK", &topK); try c.read("topP", &topP)
        try c.read("missingEOSPenalty", &missingEOSPenalty)
        try c.read("epochs", &epochs); try c.read("minibatchSize", &minibatchSize)
        try c.read("learningRate", &learningRate); try c.read("weightDecay", &weightDecay)
        try c.read("clipGradientNorm", &clipGradientNorm); try c.read("clipRange", &clipRange)
        try c.read("klCoefficient", &klCoefficient); try c.read("klEstimator", &klEstimator)
        try c.read("scaleAdvantagesByStd", &scaleAdvantagesByStd); try c.read("seed", &seed)
        try c.read("logEvery", &logEvery); try c.read("saveEvery", &saveEvery)
    }
}
