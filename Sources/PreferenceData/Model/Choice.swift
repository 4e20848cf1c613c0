/// What a judge preferred when comparing response A with response B.
public enum Choice: String, Sendable, Hashable, CaseIterable {
    /// Response A is better.
    case a
    /// Response B is better.
    case b
    /// Neither is better.
    case tie
    /// Both are unacceptable; no preference can be learned from the pair.
    case bothBad = "both_bad"

    /// The same judgement with A and B swapped.
    public var swapped: Choice {
        switch self {
        case .a: return .b
        case .b: return .a
        case .tie, .bothBad: return self
        }
    }

    /// Parses the stored or file spelling (`a`, `b`, `tie`, `both_bad`).
    public init?(text: String) {
        self.init(rawValue: text)
    }
}

/// The aspects annotators judge besides the overall choice (the paper's helpfulness, harmlessness and fluency).
public enum QualityDimension: String, Sendable, Hashable, CaseIterable {
    case helpfulness
    case safety
    case fluency
}

/// The resolved result of a comparison after post-filtering: which response is preferred, or a tie.
public enum PairOutcome: String, Sendable, Hashable, CaseIterable {
    /// Response A (the one with the lower id) is preferred.
    case a
    /// Response B is preferred.
    case b
    /// Neither is preferred (kept only when ties are not dropped).
    case tie
}
