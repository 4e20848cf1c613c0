/// A token matched in the raw text before pre-tokenization (HF `added_tokens`), such as `<|endoftext|>`.
public struct AddedToken: Sendable, Equatable {
    /// The exact text that is matched.
    public let content: String
    /// Its id.
    public let id: Int
    /// Special tokens are control markers (skipped by `decode(_:skipSpecialTokens:)` when asked).
    public let special: Bool
    /// Match only when not touching a word character on either side.
    public let singleWord: Bool
    /// Also swallow the whitespace on the left.
    public let leftStrip: Bool
    /// Also swallow the whitespace on the right.
    public let rightStrip: Bool
    /// Matched after normalization (HF's second pass) rather than in the raw text.
    public let normalized: Bool

    public init(
        content: String, id: Int, special: Bool = true, singleWord: Bool = false, leftStrip: Bool = false,
        rightStrip: Bool = false, normalized: Bool = false
    ) {
        self.content = content
        self.id = id
        self.special = special
        self.singleWord = singleWord
        self.leftStrip = leftStrip
        self.rightStrip = rightStrip
        self.normalized = normalized
    }
}
