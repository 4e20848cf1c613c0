/// The unit response lengths are measured in, for length balancing and for the length-bias buckets of reward-model
/// evaluation.
public enum LengthUnit: String, Sendable, Hashable, Codable, CaseIterable {
    /// Unicode scalars (what SQLite's `length()` counts, and the store's `char_count`).
    case characters
    /// Tokens of a tokenizer.
    case tokens

    /// The bucket edges used when none are given. The paper gives none; ours are characters 20, 50, 100, 200, 400,
    /// 800 and tokens (about four characters each) 5, 12, 25, 50, 100, 200.
    public var defaultBoundaries: [Int] {
        switch self {
        case .characters: [20, 50, 100, 200, 400, 800]
        case .tokens: [5, 12, 25, 50, 100, 200]
        }
    }
}
