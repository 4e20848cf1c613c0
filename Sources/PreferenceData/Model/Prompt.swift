import GRDB

/// A prompt in the store: the final user message, the conversation before it, and what the quality step found.
public struct Prompt: Sendable, Hashable, FetchableRecord {
    /// Row id.
    public var id: PromptID
    /// The final user message, the one the responses answer.
    public var text: String
    /// Earlier turns of a multi-turn conversation, oldest first; empty for a single-turn prompt.
    public var context: [Turn]
    /// Intent category (e.g. `writing`, `math`), from the data or the category tagger; nil if untagged.
    public var category: String?
    /// Where the prompt came from (a dataset name, `user-logs`, …); nil if unknown.
    public var source: String?
    /// Why the prompt-quality step excluded it; empty if it passed (or was never checked).
    public var qualityFlags: PromptQualityFlags
}

extension Prompt {
    /// Reads a row of `SELECT * FROM prompt`.
    public init(row: Row) {
        id = row["id"]
        text = row["text"]
        context = Turn.decodeStored(row["context"])
        category = row["category"]
        source = row["source"]
        qualityFlags = PromptQualityFlags(rawValue: row["quality_flags"])
    }
}

/// A response to a prompt.
public struct Response: Sendable, Hashable, FetchableRecord {
    /// Row id.
    public var id: ResponseID
    /// The prompt it answers.
    public var promptID: PromptID
    /// The response text.
    public var text: String
    /// The model that produced it, if known.
    public var model: String?
    /// Its length in tokens as given by the data (the tokenizer is the producer's), if known.
    public var tokenCount: Int?
    /// Its length in Unicode scalars.
    public var characterCount: Int
}

extension Response {
    /// Reads a row of `SELECT * FROM response`.
    public init(row: Row) {
        id = row["id"]
        promptID = row["prompt_id"]
        text = row["text"]
        model = row["model"]
        tokenCount = row["token_count"]
        characterCount = row["char_count"]
    }
}

/// Two responses to one prompt, to be judged. Response A always has the lower id, so each unordered pair is stored
/// once; judgements say `a` or `b` relative to that order (the annotation UI may show them in either order).
public struct Comparison: Sendable, Hashable, FetchableRecord {
    /// Row id.
    public var id: ComparisonID
    /// The prompt both responses answer.
    public var promptID: PromptID
    /// The response with the lower id.
    public var responseA: ResponseID
    /// The response with the higher id.
    public var responseB: ResponseID
}

extension Comparison {
    /// Reads a row of `SELECT * FROM comparison`.
    public init(row: Row) {
        id = row["id"]
        promptID = row["prompt_id"]
        responseA = row["response_a_id"]
        responseB = row["response_b_id"]
    }
}
