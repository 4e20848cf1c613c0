/// A preference pair ready for the reward model: both full conversations (prompt and response, chat template
/// applied) as token ids, with what evaluation needs beside them.
public struct TokenizedPair: Sendable, Equatable {
    /// The conversation ending in the preferred response.
    public var chosen: [Int]
    /// The conversation ending in the dispreferred response.
    public var rejected: [Int]
    /// Length of the preferred response alone, in tokens (the length-bias metrics use it).
    public var chosenLength: Int
    /// Length of the dispreferred response alone, in tokens.
    public var rejectedLength: Int
    /// The prompt's intent category, if tagged.
    public var category: String?
    /// Score separation the loss demands (preference strength); 0 for plain Bradley–Terry.
    public var margin: Float

    /// A pair; response lengths default to the sequence lengths (synthetic data without a prompt).
    public init(
        chosen: [Int], rejected: [Int], chosenLength: Int? = nil, rejectedLength: Int? = nil,
        category: String? = nil, margin: Float = 0
    ) {
        precondition(!chosen.isEmpty && !rejected.isEmpty, "a pair needs two non-empty sequences")
        self.chosen = chosen
        self.rejected = rejected
        self.chosenLength = chosenLength ?? chosen.count
        self.rejectedLength = rejectedLength ?? rejected.count
        self.category = category
        self.margin = margin
    }
}
