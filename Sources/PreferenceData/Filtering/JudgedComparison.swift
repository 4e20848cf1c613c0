/// A comparison with every judgement of it: the input of post-filtering and agreement statistics.
public struct JudgedComparison: Sendable, Hashable {
    /// The comparison.
    public var comparisonID: ComparisonID
    /// Its prompt (cycles are looked for within a prompt).
    public var promptID: PromptID
    /// Response A (the lower id).
    public var responseA: ResponseID
    /// Response B.
    public var responseB: ResponseID
    /// The judgements.
    public var votes: [Vote]

    /// Creates a judged comparison.
    public init(
        comparisonID: ComparisonID, promptID: PromptID, responseA: ResponseID, responseB: ResponseID, votes: [Vote]
    ) {
        self.comparisonID = comparisonID
        self.promptID = promptID
        self.responseA = responseA
        self.responseB = responseB
        self.votes = votes
    }
}

/// One judgement as post-filtering and agreement statistics see it.
public struct Vote: Sendable, Hashable {
    /// Who gave it.
    public var annotatorID: AnnotatorID
    /// Person, model or dataset (a dataset's votes come from unknown raters, so they do not count for Cohen's kappa).
    public var annotatorKind: AnnotatorKind
    /// The overall choice.
    public var overall: Choice
    /// The helpfulness choice, if given.
    public var helpfulness: Choice?
    /// The safety choice, if given.
    public var safety: Choice?
    /// The fluency choice, if given.
    public var fluency: Choice?

    /// Creates a vote.
    public init(
        annotatorID: AnnotatorID, annotatorKind: AnnotatorKind = .human, overall: Choice,
        helpfulness: Choice? = nil, safety: Choice? = nil, fluency: Choice? = nil
    ) {
        self.annotatorID = annotatorID
        self.annotatorKind = annotatorKind
        self.overall = overall
        self.helpfulness = helpfulness
        self.safety = safety
        self.fluency = fluency
    }

    /// The choice on `dimension`, or the overall choice for nil.
    public func choice(on dimension: QualityDimension?) -> Choice? {
        switch dimension {
        case nil: return overall
        case .helpfulness: return helpfulness
        case .safety: return safety
        case .fluency: return fluency
        }
    }
}
