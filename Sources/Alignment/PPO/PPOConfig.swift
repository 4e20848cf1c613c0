/// Everything a PPO run is configured by (ChatGLM-RLHF §3). Every field has a default; YAML/JSON config files and
/// command-line flags override them. Defaults follow the paper where it gives a value and TRL/OpenRLHF otherwise.
public struct PPOConfig: Codable, Equatable, Sendable {
    // MARK: Iterations and rollouts

    /// PPO iterations (rollout, then optimisation). The paper ran 600–800 at its scale; default 100.
    public var iterations = 100
    /// Prompts answered per iteration (the rollout batch). Default 16.
    public var promptsPerIteration = 16
    /// Most new tokens per response. Default 64.
    public var maxNewTokens = 64
    /// Sampling temperature of the rollouts (> 0). Log-probabilities, KL and entropy are computed on logits / T too,
    /// so the ratio describes the policy that sampled (TRL's way). Default 1.
    public var temperature: Float = 1
    /// Top-k truncation of rollouts: must stay 0 (off), since scoring uses the whole tempered distribution and a
    /// truncated sampler would make the ratio describe another policy. Default 0.
    public var topK = 0
    /// Nucleus truncation of rollouts: must stay 1 (off), for the same reason. Default 1.
    public var topP: Float = 1
    /// Subtracted from the reward-model score of a response cut at `maxNewTokens` without an end-of-turn token
    /// (TRL's `missing_eos_penalty`; ≥ 0, 0 = off). The reward model only saw complete answers and scores a cut one
    /// as if it were complete. Applied to the reference baseline's answers too. Default 0.
    public var missingEOSPenalty: Float = 0

    // MARK: Optimisation

    /// Passes over each iteration's experience. Default 1 (OpenRLHF); InstructGPT used 4.
    public var ppoEpochs = 1
    /// Responses per minibatch (one optimizer step of actor and critic each). Default 8.
    public var minibatchSize = 8
    /// Actor learning rate (AdamW, constant). The paper used 1e-6 on 6B/32B models; small models need more.
    /// Default 1e-5.
    public var actorLearningRate: Float = 1e-5
    /// Critic learning rate (AdamW, constant). Default 1e-5.
    public var criticLearningRate: Float = 1e-5
    /// AdamW weight decay for both. Default 0.
    public var weightDecay: Float = 0
    /// Gradient-norm clipping for each model (0 = off). Default 1.
    public var clipGradientNorm: Float = 1
    /// Policy ratio clip ε. Default 0.2.
    public var clipRange: Float = 0.2
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

    /// Initial (or fixed) KL coefficient β of the per-token penalty −β·KL(actor ‖ reference). Default 0.05.
    public var klCoefficient: Float = 0.05
    /// Target KL per response for the adaptive (Ziegler) controller; nil keeps β fixed. Default nil.
    public var klTarget: Float? = nil
    /// Horizon of the adaptive controller, in responses. Default 10,000.
    public var klHorizon = 10_000
    /// Per-token KL estimator of the penalty. Default k1 (log-ratio), as TRL/OpenRLHF.
    public var klEstimator: KLEstimator = .k1

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
    /// Seed of rollouts, data order and fresh heads. Default 0.
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
        if maxNewTokens < 1 { return "maxNewTokens must be at least 1" }
        if !(temperature > 0) || !temperature.isFinite { return "temperature must be positive for PPO rollouts" }
        if topK != 0 || topP != 1 {
            return "topK and topP must stay off (0 and 1) for PPO rollouts: log-probabilities are scored on the whole tempered distribution"
        }
        if !(missingEOSPenalty >= 0) || !missingEOSPenalty.isFinite { return "missingEOSPenalty must be a finite number ≥ 0" }
        if ppoEpochs < 1 { return "ppoEpochs must be at least 1" }
        if referenceBaselineSamples < 1 { return "referenceBaselineSamples must be at least 1" }
        if minibatchSize < 1 { return "minibatchSize must be at least 1" }
        if !(actorLearningRate >= 0) || !(criticLearningRate >= 0) { return "learning rates must be non-negative" }
        if !(clipRange > 0) { return "clipRange must be positive" }
        if !(klCoefficient >= 0) { return "klCoefficient must be non-negative" }
        if let t = klTarget, !(t > 0) { return "klTarget must be positive" }
        if !(gamma >= 0 && gamma <= 1) || !(lambda >= 0 && lambda <= 1) { return "gamma and lambda must be in [0, 1]" }
        if !(ptxCoefficient >= 0) { return "ptxCoefficient must be non-negative" }
        if promptFilterSamples == 1 || promptFilterSamples < 0 { return "promptFilterSamples must be 0 (off) or at least 2" }
        return nil
    }
}

extension PPOConfig {
    static let keys = ["iterations", "promptsPerIteration", "maxNewTokens", "temperature", "topK", "topP",
                       "missingEOSPenalty", "ppoEpochs", "minibatchSize", "actorLearningRate", "criticLearningRate",
                       "weightDecay", "clipGradientNorm", "clipRange", "valueClipRange", "gamma", "lambda",
                       "whitenAdvantages", "klCoefficient", "klTarget", "klHorizon", "klEstimator", "referenceBaseline",
                       "referenceBaselineSamples", "ptxCoefficient", "ptxBatchSize", "promptFilterSamples", "promptFilterMinVariance",
                       "criticFromRewardModel", "seed", "logEvery", "saveEvery"]
    /// Keys of earlier versions that config files may still hold.
    static let legacyKeys = ["truncationPenalty"]

    /// Decodes any subset of the fields (same names as the properties); missing ones keep their defaults, unknown
    /// ones are an error.
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: AnyKey.self)
        try c.rejectUnknownKeys(Self.keys + Self.legacyKeys)
        try readLegacyTruncationPenalty(c)
        try c.read("iterations", &iterations); try c.read("promptsPerIteration", &promptsPerIteration)
        try c.read("maxNewTokens", &maxNewTokens); try c.read("temperature", &temperature)
        try c.read("topK", &topK); try c.read("topP", &topP); try c.read("missingEOSPenalty", &missingEOSPenalty)
        try c.read("ppoEpochs", &ppoEpochs); try c.read("minibatchSize", &minibatchSize)
        try c.read("actorLearningRate", &actorLearningRate); try c.read("criticLearningRate", &criticLearningRate)
        try c.read("weightDecay", &weightDecay); try c.read("clipGradientNorm", &clipGradientNorm)
        try c.read("clipRange", &clipRange); try c.read("valueClipRange", &valueClipRange)
        try c.read("gamma", &gamma); try c.read("lambda", &lambda); try c.read("whitenAdvantages", &whitenAdvantages)
        try c.read("klCoefficient", &klCoefficient); try c.read("klTarget", &klTarget)
        try c.read("klHorizon", &klHorizon); try c.read("klEstimator", &klEstimator)
        try c.read("referenceBaseline", &referenceBaseline); try c.read("referenceBaselineSamples", &referenceBaselineSamples)
        try c.read("ptxCoefficient", &ptxCoefficient)
        try c.read("ptxBatchSize", &ptxBatchSize); try c.read("promptFilterSamples", &promptFilterSamples)
        try c.read("promptFilterMinVariance", &promptFilterMinVariance)
        try c.read("criticFromRewardModel", &criticFromRewardModel); try c.read("seed", &seed)
        try c.read("logEvery", &logEvery); try c.read("saveEvery", &saveEvery)
    }

    /// `truncationPenalty`, the earlier name of `missingEOSPenalty`, was a reward *added* to a cut answer (negative
    /// to penalise); old config files keep working with its sign turned.
    private mutating func readLegacyTruncationPenalty(_ c: KeyedDecodingContainer<AnyKey>) throws {
        var added: Float?
        try c.read("truncationPenalty", &added)
        guard let added else { return }
        let key = AnyKey(stringValue: "truncationPenalty")!
        if c.contains(AnyKey(stringValue: "missingEOSPenalty")!) {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription:
                "give missingEOSPenalty only (truncationPenalty is its earlier name)")
        }
        guard added <= 0 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription:
                "truncationPenalty (now missingEOSPenalty, subtracted) must be ≤ 0, got \(added)")
        }
        missingEOSPenalty = -added
    }
}
