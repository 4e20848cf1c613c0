/// How to pick tokens during generation. Every field has a default suitable for sampling chat responses.
public struct GenerationConfig: Sendable, Equatable {
    /// Most tokens generated per sequence (default 64).
    public var maxNewTokens: Int
    /// Softmax temperature; 0 picks the most likely token (greedy). Default 1.
    public var temperature: Float
    /// Keep only the k most likely tokens before sampling; 0 keeps all (default).
    public var topK: Int
    /// Keep the smallest set of most likely tokens whose probability reaches p (nucleus sampling); 1 keeps all (default).
    public var topP: Float
    /// Tokens that end a sequence (kept as its last token); nil uses the model's `eos_token_id`s (default).
    public var eosTokenIds: [Int]?
    /// Further tokens that end a sequence, e.g. a chat template's end-of-turn (default none).
    public var stopTokenIds: [Int]
    /// Seed of the sampling generator (default 0); the same seed and inputs give the same tokens.
    public var seed: UInt64
    /// One seed per prompt, or nil (default): each sequence then draws from its own generator, so its tokens do not
    /// depend on which other sequences share the batch. Data-parallel PPO and GRPO rely on it: a rank that generates
    /// its slice of an iteration's prompts draws the tokens one process would. `seed` is unused when this is set.
    public var rowSeeds: [UInt64]?

    /// A configuration; see each property for its meaning and default.
    public init(
        maxNewTokens: Int = 64, temperature: Float = 1, topK: Int = 0, topP: Float = 1,
        eosTokenIds: [Int]? = nil, stopTokenIds: [Int] = [], seed: UInt64 = 0, rowSeeds: [UInt64]? = nil
    ) {
        self.maxNewTokens = maxNewTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.eosTokenIds = eosTokenIds
        self.stopTokenIds = stopTokenIds
        self.seed = seed
        self.rowSeeds = rowSeeds
    }

    /// One seed per sequence of a batch of `count` drawn with `seed`, for `rowSeeds`: a sequence's seed depends on the
    /// seed and its place in the batch only, so a batch split over ranks draws the tokens the whole batch would.
    public static func rowSeeds(_ seed: UInt64, count: Int) -> [UInt64] {
        (0..<count).map { seed ^ (UInt64($0 + 1) &* 0x9E37_79B9_7F4A_7C15) }
    }

    /// A one-line description of the first invalid setting, or nil.
    public var problem: String? {
        if maxNewTokens < 0 { return "max new tokens must be ≥ 0, got \(maxNewTokens)" }
        if !(temperature >= 0) || !temperature.isFinite { return "temperature must be ≥ 0, got \(temperature)" }
        if topK < 0 { return "top-k must be ≥ 0, got \(topK)" }
        if !(topP > 0 && topP <= 1) { return "top-p must be in (0, 1], got \(topP)" }
        return nil
    }
}
