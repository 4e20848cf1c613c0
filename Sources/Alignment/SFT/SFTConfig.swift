import TensorEngine

/// Everything an SFT run needs besides its data and model. Every field has a documented default; a YAML or JSON
/// config file may set any subset of them, and command-line flags override the file.
public struct SFTConfig: Sendable, Codable, Equatable {
    /// Peak learning rate of AdamW (default 1e-4).
    public var learningRate: Float = 1e-4
    /// AdamW decoupled weight decay (default 0.0).
    public var weightDecay: Float = 0
    /// AdamW β1, β2 and ε (defaults 0.9, 0.999, 1e-8).
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    /// Optimizer updates to run (default 100).
    public var steps: Int = 100
    /// Linear warmup steps before the cosine decay (default 10).
    public var warmupSteps: Int = 10
    /// The learning rate at the end of the cosine, as a fraction of the peak (default 0.1).
    public var minLearningRateRatio: Float = 0.1
    /// Sequences per micro-batch (default 8).
    public var batchSize: Int = 8
    /// Micro-batches whose gradients are summed into one update (default 1).
    public var gradientAccumulation: Int = 1
    /// Longer examples are cut to this many tokens (default 512).
    public var maxLength: Int = 512
    /// Global gradient-norm clipping threshold; 0 disables it (default 1.0).
    public var clipGradientNorm: Float = 1
    /// Evaluate on the eval set every this many steps; 0 only at the end (default 50).
    public var evalEvery: Int = 50
    /// Save a checkpoint every this many steps; 0 only at the end (default 100).
    public var saveEvery: Int = 100
    /// Seed of the data order (default 0).
    public var seed: UInt64 = 0
    /// Print a progress line every this many steps; 0 never (default 1).
    public var logEvery: Int = 1

    /// The defaults.
    public init() {}

    /// The warmup-then-cosine schedule these settings describe.
    public var schedule: LRSchedule {
        .warmupCosine(warmupSteps: warmupSteps, totalSteps: steps, minRatio: minLearningRateRatio)
    }

    /// The first invalid setting, as a one-line message, or nil.
    public var problem: String? {
        if !(learningRate > 0) { return "learning rate must be positive, got \(learningRate)" }
        if steps < 1 { return "steps must be at least 1, got \(steps)" }
        if warmupSteps < 0 { return "warmup steps must be ≥ 0, got \(warmupSteps)" }
        if batchSize < 1 { return "batch size must be at least 1, got \(batchSize)" }
        if gradientAccumulation < 1 { return "gradient accumulation must be at least 1, got \(gradientAccumulation)" }
        if maxLength < 2 { return "max length must be at least 2, got \(maxLength)" }
        if clipGradientNorm < 0 { return "clip gradient norm must be ≥ 0, got \(clipGradientNorm)" }
        if evalEvery < 0 || saveEvery < 0 || logEvery < 0 { return "eval/save/log intervals must be ≥ 0" }
        return nil
    }
}

extension SFTConfig {
    private enum CodingKeys: String, CodingKey {
        case learningRate, weightDecay, beta1, beta2, epsilon, steps, warmupSteps, minLearningRateRatio, batchSize,
             gradientAccumulation, maxLength, clipGradientNorm, evalEvery, saveEvery, seed, logEvery
    }

    /// Decodes any subset of the fields; missing ones keep their defaults. Unknown keys are rejected so a typo in a
    /// config file does not silently fall back to a default.
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let known = Set(c.allKeys.map(\.stringValue))
        let any = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = any.allKeys.map(\.stringValue).first(where: { !known.contains($0) }) {
            throw DecodingError.dataCorruptedError(forKey: AnyKey(stringValue: unknown)!, in: any,
                                                   debugDescription: "unknown setting \"\(unknown)\"")
        }
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            if let v = try c.decodeIfPresent(T.self, forKey: key) { value = v }
        }
        try read(.learningRate, &learningRate); try read(.weightDecay, &weightDecay)
        try read(.beta1, &beta1); try read(.beta2, &beta2); try read(.epsilon, &epsilon)
        try read(.steps, &steps); try read(.warmupSteps, &warmupSteps); try read(.minLearningRateRatio, &minLearningRateRatio)
        try read(.batchSize, &batchSize); try read(.gradientAccumulation, &gradientAccumulation)
        try read(.maxLength, &maxLength); try read(.clipGradientNorm, &clipGradientNorm)
        try read(.evalEvery, &evalEvery); try read(.saveEvery, &saveEvery); try read(.seed, &seed); try read(.logEvery, &logEvery)
    }
}

/// Any string key, to list the keys a decoder holds.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
