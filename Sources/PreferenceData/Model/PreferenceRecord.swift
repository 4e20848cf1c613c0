import Foundation

/// Data to add to the store: one prompt, responses to it, and comparisons of those responses with their judgements.
///
/// Every import format decodes to these, and later stages (the annotation server, the DPO sampler) write through them
/// too. The store de-duplicates: a prompt with the same text and context as a stored one is the stored one, likewise
/// a response with the same text to the same prompt, and a comparison of the same two responses.
public struct PreferenceRecord: Sendable, Hashable {
    /// The prompt.
    public var prompt: PromptDraft
    /// Responses to the prompt; comparisons refer to them by index.
    public var responses: [ResponseDraft]
    /// Comparisons between the responses, each with zero or more judgements (zero: a task still to annotate).
    public var comparisons: [ComparisonDraft]

    /// Creates a record.
    public init(prompt: PromptDraft, responses: [ResponseDraft] = [], comparisons: [ComparisonDraft] = []) {
        self.prompt = prompt
        self.responses = responses
        self.comparisons = comparisons
    }

    /// What makes the record unusable, or nil if it is valid.
    public func problem() -> String? {
        if prompt.text.allSatisfy(\.isWhitespace) { return "prompt is empty" }
        for (position, comparison) in comparisons.enumerated() {
            let name = comparisons.count == 1 ? "comparison" : "comparison \(position + 1)"
            guard responses.indices.contains(comparison.responseA), responses.indices.contains(comparison.responseB)
            else {
                return "\(name) refers to a response that is not in the record"
            }
            if comparison.responseA == comparison.responseB
                || responses[comparison.responseA].text == responses[comparison.responseB].text
            {
                return "\(name) compares a response with itself (the two texts are identical)"
            }
            for judgement in comparison.judgements {
                if judgement.annotator.name.allSatisfy(\.isWhitespace) {
                    return "\(name) has a judgement with an empty annotator name"
                }
                for score in [judgement.scoreA, judgement.scoreB] {
                    if let score, !score.isFinite { return "\(name) has a score that is not a finite number" }
                }
            }
        }
        for response in responses {
            if let tokens = response.tokenCount, tokens < 0 { return "a response has a negative token count" }
        }
        return nil
    }
}

/// A prompt to add.
public struct PromptDraft: Sendable, Hashable {
    /// The final user message.
    public var text: String
    /// Earlier turns, oldest first (empty for single-turn).
    public var context: [Turn]
    /// Intent category, if known.
    public var category: String?
    /// Where it came from, if known. Kept from the first record that adds the prompt.
    public var source: String?
    /// Quality flags already decided (e.g. in an exported store); usually empty.
    public var qualityFlags: PromptQualityFlags

    /// Creates a prompt draft.
    public init(
        text: String, context: [Turn] = [], category: String? = nil, source: String? = nil,
        qualityFlags: PromptQualityFlags = []
    ) {
        self.text = text
        self.context = context
        self.category = category
        self.source = source
        self.qualityFlags = qualityFlags
    }
}

/// A response to add.
public struct ResponseDraft: Sendable, Hashable {
    /// The response text.
    public var text: String
    /// The model that produced it, if known.
    public var model: String?
    /// Its length in the producer's tokens, if known.
    public var tokenCount: Int?

    /// Creates a response draft.
    public init(text: String, model: String? = nil, tokenCount: Int? = nil) {
        self.text = text
        self.model = model
        self.tokenCount = tokenCount
    }
}

/// A comparison to add: two of the record's responses, by index, and judgements of them.
///
/// Choices and scores refer to `responseA` and `responseB` as given here. The store keeps the response with the lower
/// id as A and swaps choices and scores to match when needed; callers never see the difference.
public struct ComparisonDraft: Sendable, Hashable {
    /// Index of response A in the record's responses.
    public var responseA: Int
    /// Index of response B in the record's responses.
    public var responseB: Int
    /// Judgements of this pair.
    public var judgements: [JudgementDraft]

    /// Creates a comparison draft.
    public init(responseA: Int, responseB: Int, judgements: [JudgementDraft] = []) {
        self.responseA = responseA
        self.responseB = responseB
        self.judgements = judgements
    }
}

/// Names an annotator; the store creates it on first use.
public struct AnnotatorReference: Sendable, Hashable {
    /// Unique name.
    public var name: String
    /// Person, model or dataset.
    public var kind: AnnotatorKind

    /// Creates a reference.
    public init(name: String, kind: AnnotatorKind) {
        self.name = name
        self.kind = kind
    }
}

/// A judgement to add.
public struct JudgementDraft: Sendable, Hashable {
    /// Who judged.
    public var annotator: AnnotatorReference
    /// The overall choice.
    public var overall: Choice
    /// Per-dimension choices, where given.
    public var dimensions: [QualityDimension: Choice]
    /// Score of response A, where the judge gave scores.
    public var scoreA: Double?
    /// Score of response B.
    public var scoreB: Double?
    /// Free-text comment.
    public var comment: String?
    /// When it was made, if known (kept to the millisecond).
    public var judgedAt: Date?

    /// Creates a judgement draft.
    public init(
        annotator: AnnotatorReference, overall: Choice, dimensions: [QualityDimension: Choice] = [:],
        scoreA: Double? = nil, scoreB: Double? = nil, comment: String? = nil, judgedAt: Date? = nil
    ) {
        self.annotator = annotator
        self.overall = overall
        self.dimensions = dimensions
        self.scoreA = scoreA
        self.scoreB = scoreB
        self.comment = comment
        self.judgedAt = judgedAt
    }

    /// The same judgement with responses A and B swapped.
    public var swapped: JudgementDraft {
        var copy = self
        copy.overall = overall.swapped
        copy.dimensions = dimensions.mapValues(\.swapped)
        copy.scoreA = scoreB
        copy.scoreB = scoreA
        return copy
    }
}
