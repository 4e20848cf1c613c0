import Tokenizers

/// A preference pair as text: a prompt (with any earlier turns) and its preferred and dispreferred answers — what the
/// reward-model and DPO datasets render and tokenize. Plain values, so training does not depend on where pairs are
/// kept; `AlignmentData` makes them from the preference store.
public struct TextPair: Sendable, Equatable {
    /// Names the pair in error messages (the store's comparison id).
    public var id: Int64
    /// Identifies the prompt: pairs of one prompt share it (on-policy DPO samples each prompt once).
    public var promptID: Int64
    /// Earlier turns, oldest first (empty for a single-turn prompt).
    public var context: [ChatMessage]
    /// The final user message.
    public var prompt: String
    /// The preferred answer.
    public var chosen: String
    /// The dispreferred answer.
    public var rejected: String
    /// The prompt's intent category, if tagged (reward-model evaluation reports accuracy per category).
    public var category: String?

    /// A pair; see each property.
    public init(
        id: Int64, promptID: Int64, context: [ChatMessage] = [], prompt: String, chosen: String, rejected: String,
        category: String? = nil
    ) {
        self.id = id
        self.promptID = promptID
        self.context = context
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
        self.category = category
    }
}
