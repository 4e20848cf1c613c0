import LengthBuckets

/// Everything a reward-model run needs besides its data and starting model. Every field has a documented default;
/// a YAML or JSON config file may set any subset of `keys`, and command-line options override the file.
public struct RewardModelConfig: KeyedConfig, LoopConfigured, Equatable {
    /// The training loop's settings (peak learning rate 1e-5, the usual order for fine-tuning a pretrained backbone;
    /// a batch is that many pairs, each two sequences in the same forward pass; the seed also draws the fresh head
    /// and the length balancing); they read as the config's own (`config.steps`).
    public var loop = TrainingLoopConfig(learningRate: 1e-5)
    /// LoRA (off by default: every weight trains).
    public var lora = LoRAConfig()
    /// Longer conversations keep their last this many tokens, where the response and its score are (default 512).
    public var maxLength: Int = 512

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
        if let problem = loop.problem { return problem }
        if let problem = lora.problem(activationCheckpointing: loop.activationCheckpointing) { return problem }
        if maxLength < 2 { return "max length must be at least 2, got \(maxLength)" }
        if !(scorePriorWeight >= 0) { return "score prior weight must be ≥ 0, got \(scorePriorWeight)" }
        if let edges = lengthBoundaries, let problem = LengthBoundaries.problem(edges) {
            return "length boundaries: \(problem)"
        }
        if !marginScale.isFinite { return "margin scale must be finite, got \(marginScale)" }
        if !(headInitStd >= 0) { return "head init std must be ≥ 0, got \(headInitStd)" }
        if calibrationBins < 1 { return "calibration bins must be at least 1, got \(calibrationBins)" }
        return nil
    }

    /// Every setting under its config-file key.
    public static let keys: [ConfigKey<RewardModelConfig>] =
        TrainingLoopConfig.keys.map { $0.embedded(at: \.loop) } + [
            ConfigKey("maxLength", \.maxLength, help: "longer conversations keep their last this many tokens"),
            ConfigKey(
                "scorePriorWeight", \.scorePriorWeight, help: "λ of the zero-mean score prior (0: plain Bradley–Terry)"),
            ConfigKey("balanceLengths", \.balanceLengths, help: "bucket-based length balancing of the training pairs"),
            ConfigKey("lengthUnit", \.lengthUnit, help: "unit of the balancing lengths: characters or tokens"),
            ConfigKey(
                "lengthBoundaries", \.lengthBoundaries,
                help: "balancing bucket edges e0,e1,… (none: the unit's defaults)"),
            ConfigKey(
                "useScoreMargins", \.useScoreMargins, option: "score-margins",
                help: "judged score differences as margins"),
            ConfigKey("marginScale", \.marginScale, help: "reward units per unit of judged score difference"),
            ConfigKey("headInitStd", \.headInitStd, help: "standard deviation of the fresh head's weights"),
            ConfigKey(
                "calibrationBins", \.calibrationBins, help: "calibration bins over the predicted win probability"),
        ] + LoRAConfig.keys.map { $0.embedded(at: \.lora) }
}

extension RewardModelConfig {
    /// Length-difference buckets of evaluation, in tokens (evaluation measures responses in tokens): the balancing
    /// boundaries when those are tokens, else the default token boundaries.
    public var evaluationLengthBoundaries: [Int] {
        (lengthUnit == .tokens ? lengthBoundaries : nil) ?? LengthUnit.tokens.defaultBoundaries
    }
}
