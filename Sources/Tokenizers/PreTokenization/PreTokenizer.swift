/// One step of a pre-tokenizer chain. Each step cuts every piece from the previous step into smaller pieces.
enum PreTokenizerStep: Sendable, Equatable {
    /// HF `Digits`: numeric characters become their own pieces (`individual`) or runs of them do.
    case digits(individual: Bool)
    /// HF `Split` with `Isolated` behaviour, or the regex of `ByteLevel` with `use_regex`.
    case pattern(SplitPattern)
    /// `ByteLevel` with `add_prefix_space`: a space is put before every piece that does not start with one.
    case prefixSpace
}

/// A byte-level pre-tokenizer: a chain of splitting steps over UTF-8 bytes. The byte-to-character mapping of HF's
/// `ByteLevel` happens later, in the BPE model's initial symbols.
struct PreTokenizer: Sendable, Equatable {
    let steps: [PreTokenizerStep]

    /// GPT-2's pre-tokenizer (`ByteLevel` with its regex, no prefix space).
    static let gpt2 = PreTokenizer(steps: [.pattern(.gpt2)])
}
