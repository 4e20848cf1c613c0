import LengthBuckets

/// Everything a reward-model run needs besides its data and starting model. Every field has a documented default;
/// a YAML or JSON config file may set any subset of them, and command-line flags override the file.
public struct RewardModelConfig: TrainingLoopSettings, Codable, Equatable {
    /// Peak learning rate of AdamW (default 1e-5, the usual order for fine-tuning a pretrained backbone).
    public var learningRate: Float = 1e-5
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
    /// Pairs per micro-batch; each is two sequences in the same forward pass (default 8).
    public var batchSize: Int = 8
    /// Micro-batches whose gradients are summed into one update (default 1).
    public var gradientAccumulation: Int = 1
    /// Longer conversations keep their last this many tokens, where the response and its score are (default 512).
    public var maxLength: Int = 512
    /// Global gradient-norm clipping threshold; 0 disables it (default 1.0).
    public var clipGradientNorm: Float = 1
    /// Evaluate on the eval pairs every this many steps; 0 only at the end (default 50).
    public var evalEvery: Int = 50
    /// Save a checkpoint every this many steps; 0 only at the end (default 100).
    public var saveEvery: Int = 100
    /// Seed of the data order, the fresh head and the length balancing (default 0).
    public var seed: UInt64 = 0
    /// Print a progress line every this many steps; 0 never (default 1).
    public var logEvery: Int = 1

    /// λ of the zero-mean Gaussian prior on scores, `λ·mean(r_w² + r_l²)` (paper §2). The paper gives no value;
    /// default 0.01 (our choice, small enough not to fight the ranking loss, large enough to stop drift). 0 is plain
    /// Bradley–Terry.
    public var scorePriorWeight: Float = 0.01
    /// Bucket-based length balancing of the training pairs (paper §2): in every bucket of length difference, as many
    /// pairs where the preferred response is longer as where it is shorter (default true).
    public var balanceLengths: Bool = true
    /// Unit of the balancing lengths: characters, or tokens of the model's tokenizer (default characters, like
    /// `rlhf data balance`).
    public var lengthUnit: LengthUnit = .characters
    /// Bucket edges of the balancing, strictly increasing; nil means the unit's defaults (characters 20, 50, 100,
    /// 200, 400, 800; tokens 5, 12, 25, 50, 100, 200) (default nil).
    public var lengthBoundaries: [Int]? = nil
    /// Use judgement scores as margins: a pair whose judgements carry scores (rated data) must be separated by
    /// `marginScale · mean(score_chosen − score_rejected)`; pairs without scores get 0 (default false).
    public var useScoreMargins: Bool = false
    /// Factor from the judges' score difference to a margin in reward units (default 1.0).
    public var marginScale: Float = 1
    /// Standard deviation of the fresh head's weights (default 0.02, transformers' initializer range).
    public var headInitStd: Float = 0.02
    /// Bins of the calibration table over the predicted win probability 0.5…1 (default 5).
    public var calibrationBins: Int = 5

    /// The defaults.
    public init() {}

    /// The first invalid setting, as a one-line message, or nil.
    public var problem: String? {
        if let problem = loopProblem { return problem }
        if maxLength < 2 { return "max length must be at least 2, got \(maxLength)" }
        if !(scorePriorWeight >= 0) { return "score prior weight must be ≥ 0, got \(scorePriorWeight)" }
        if let edges = lengthBoundaries, let problem = LengthBoundaries.problem(edges) { return "length boundaries: \(problem)" }
        if !marginScale.isFinite { return "margin scale must be finite, got \(marginScale)" }
        if !(headInitStd >= 0) { return "head init std must be ≥ 0, got \(headInitStd)" }
        if calibrationBins < 1 { return "calibration bins must be at least 1, got \(calibrationBins)" }
        return nil
    }

    /// The names of the settings in config files.
    public static var keys: [String] {
        loopSettingKeys + ["maxLength", "scorePriorWeight", "balanceLengths", "lengthUnit", "lengthBoundaries",
                           "useScoreMargins", "marginScale", "headInitStd", "calibrationBins"]
    }
}

extension RewardModelConfig {
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
        try c.read("logEvery", &logEvery); try c.read("maxLength", &maxLength)
        try c.read("scorePriorWeight", &scorePriorWeight); try c.read("balanceLengths", &balanceLengths)
        try c.read("lengthUnit", &lengthUnit); try c.read("lengthBoundaries", &lengthBoundaries)
        try c.read("useScoreMargins", &useScoreMargins); try c.read("marginScale", &marginScale)
        try c.read("headInitStd", &headInitStd); try c.read("calibrationBins", &calibrationBins)
    }
}

extension RewardModelConfig {
    /// Length-difference buckets of evaluation, in tokens (evaluation measures responses in tokens): the balancing
    /// boundaries when those are tokens, else the default token boundaries.
    public var evaluationLengthBoundaries: [Int] {
        (lengthUnit == .tokens ? lengthBoundaries : nil) ?? LengthUnit.tokens.defaultBoundaries
    }
}
