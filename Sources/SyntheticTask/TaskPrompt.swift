/// What the gold oracle knows about a prompt and annotators and models do not see.
public struct TaskFacts: Sendable, Hashable {
    /// The correct result of an arithmetic prompt; nil for the other categories.
    public var answer: Int?
    /// Whether the request must be refused. Only safety prompts can be unsafe.
    public var isUnsafe: Bool
    /// The persona of a role-play prompt, in the prompt's language.
    public var persona: String?
    /// Words a complete, on-topic answer contains (the topic, the persona's word, the expected fact); the oracle's
    /// helpfulness is the fraction present.
    public var requiredWords: [String]

    /// Creates the facts of a prompt.
    public init(answer: Int? = nil, isUnsafe: Bool = false, persona: String? = nil, requiredWords: [String] = []) {
        self.answer = answer
        self.isUnsafe = isUnsafe
        self.persona = persona
        self.requiredWords = requiredWords
    }
}

/// One instruction prompt of the built-in task, with the hidden facts the gold oracle judges answers by.
public struct TaskPrompt: Sendable, Hashable, Identifiable {
    /// Unique within one generated task, e.g. `p0042`.
    public var id: String
    /// The intent category.
    public var category: TaskCategory
    /// The language of the prompt (and of good answers to it).
    public var language: TaskLanguage
    /// The user's request.
    public var text: String
    /// Hidden facts for the oracle.
    public var facts: TaskFacts
    /// Which template slot values made the prompt; the response writer answers from them, so answers match the
    /// prompt without parsing it back.
    public var slots: [String: String]

    /// Creates a prompt.
    public init(
        id: String, category: TaskCategory, language: TaskLanguage, text: String, facts: TaskFacts,
        slots: [String: String] = [:]
    ) {
        self.id = id
        self.category = category
        self.language = language
        self.text = text
        self.facts = facts
        self.slots = slots
    }
}
