/// A resolved training pair: a prompt with its preferred and dispreferred responses (what a reward model reads).
public struct PreferencePair: Sendable, Hashable {
    /// The comparison it comes from.
    public var comparisonID: ComparisonID
    /// The prompt.
    public var promptID: PromptID
    /// The final user message.
    public var prompt: String
    /// Earlier turns, oldest first (empty for single-turn).
    public var context: [Turn]
    /// The prompt's intent category, if tagged.
    public var category: String?
    /// The preferred response (response A of a tie).
    public var chosen: String
    /// The dispreferred response (response B of a tie).
    public var rejected: String
    /// Id of `chosen`.
    public var chosenID: ResponseID
    /// Id of `rejected`.
    public var rejectedID: ResponseID
    /// True if neither response is preferred (present only when ties are kept).
    public var isTie: Bool

    /// Creates a pair.
    public init(
        comparisonID: ComparisonID, promptID: PromptID, prompt: String, context: [Turn] = [],
        category: String? = nil, chosen: String, rejected: String, chosenID: ResponseID,
        rejectedID: ResponseID, isTie: Bool = false
    ) {
        self.comparisonID = comparisonID
        self.promptID = promptID
        self.prompt = prompt
        self.context = context
        self.category = category
        self.chosen = chosen
        self.rejected = rejected
        self.chosenID = chosenID
        self.rejectedID = rejectedID
        self.isTie = isTie
    }

    /// The outcome relative to the stored comparison (A is the response with the lower id).
    public var outcome: PairOutcome {
        if isTie { return .tie }
        return chosenID < rejectedID ? .a : .b
    }

    /// A hash of the prompt's content (context and text) that does not depend on row ids, so seeded splits and
    /// samples are the same in any store holding the same data.
    public var promptContentHash: UInt64 {
        var hash = StableHash.of(prompt)
        for turn in context {
            hash = StableHash.combine(
                hash, StableHash.combine(StableHash.of(turn.role.rawValue), StableHash.of(turn.content)))
        }
        return hash
    }

    /// A hash of the pair's content (prompt and both responses), independent of row ids.
    public var contentHash: UInt64 {
        StableHash.combine(promptContentHash, StableHash.combine(StableHash.of(chosen), StableHash.of(rejected)))
    }
}
