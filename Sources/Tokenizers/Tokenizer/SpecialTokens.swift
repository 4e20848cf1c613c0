/// The ids of a tokenizer's special roles, where the tokenizer's files name them.
public struct SpecialTokens: Sendable, Equatable {
    /// Beginning of sequence.
    public var bos: Int?
    /// End of sequence (or of a turn, for chat models whose files say so).
    public var eos: Int?
    /// Padding.
    public var pad: Int?
    /// Unknown token.
    public var unk: Int?

    public init(bos: Int? = nil, eos: Int? = nil, pad: Int? = nil, unk: Int? = nil) {
        self.bos = bos
        self.eos = eos
        self.pad = pad
        self.unk = unk
    }
}

/// What `encode(_:addSpecialTokens: true)` adds around a text (HF's post-processor, or GGUF's add_bos/add_eos).
struct PostProcessor: Sendable, Equatable {
    var prefix: [Int] = []
    var suffix: [Int] = []
}
