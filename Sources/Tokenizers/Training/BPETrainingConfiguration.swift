/// Settings of byte-level BPE training. Every field has a default except the vocabulary size.
public struct BPETrainingConfiguration: Sendable, Equatable {
    /// Pre-tokenization used while training and recorded in the saved tokenizer.
    public enum PreTokenization: String, Sendable, Equatable, CaseIterable {
        /// GPT-2's pattern (HF `ByteLevel` with its regex).
        case gpt2
        /// Llama-3's pattern (numbers in groups of up to three).
        case llama3
        /// Qwen2's pattern (single digits), without Qwen2's NFC normalizer.
        case qwen2
        /// SmolLM2's: every digit alone, then GPT-2's pattern.
        case smollm

        var steps: [PreTokenizerStep] {
            switch self {
            case .gpt2: [.pattern(.gpt2)]
            case .llama3: [.pattern(.llama3(maxDigits: 3))]
            case .qwen2: [.pattern(.llama3(maxDigits: 1))]
            case .smollm: [.digits(individual: true), .pattern(.gpt2)]
            }
        }
    }

    /// Total vocabulary size, special tokens and the 256 byte tokens included. Training stops earlier if no pair
    /// occurs `minimumFrequency` times.
    public var vocabularySize: Int
    /// Special tokens, given the first ids in this order and matched in text as whole tokens. Default
    /// `["<|endoftext|>"]`.
    public var specialTokens: [String]
    /// A pair must occur at least this often to be merged. Default 2.
    public var minimumFrequency: Int
    /// Default `.gpt2`.
    public var preTokenization: PreTokenization
    /// When set, documents are drawn in a seeded random order until this many bytes are taken; nil (the default)
    /// trains on everything.
    public var sampleBytes: Int?
    /// Seed of the document sample. The same corpus, settings and seed always give the same tokenizer. Default 0.
    public var seed: UInt64

    public init(
        vocabularySize: Int, specialTokens: [String] = ["<|endoftext|>"], minimumFrequency: Int = 2,
        preTokenization: PreTokenization = .gpt2, sampleBytes: Int? = nil, seed: UInt64 = 0
    ) {
        self.vocabularySize = vocabularySize
        self.specialTokens = specialTokens
        self.minimumFrequency = minimumFrequency
        self.preTokenization = preTokenization
        self.sampleBytes = sampleBytes
        self.seed = seed
    }
}
