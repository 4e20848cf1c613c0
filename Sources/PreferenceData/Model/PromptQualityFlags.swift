/// Why the prompt-quality step excluded a prompt. A prompt with any flag set is left out of post-filtering by
/// default; the flags are kept (not deleted) so the decision can be inspected and re-run.
public struct PromptQualityFlags: OptionSet, Sendable, Hashable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Too few words to carry a request.
    public static let tooShort = PromptQualityFlags(rawValue: 1 << 0)
    /// No discernible request: no letters or digits, or only greetings and fillers.
    public static let noRequest = PromptQualityFlags(rawValue: 1 << 1)
    /// The same text (after normalising case, spacing and punctuation) as an earlier prompt.
    public static let duplicate = PromptQualityFlags(rawValue: 1 << 2)
    /// Nearly the same text as an earlier prompt.
    public static let nearDuplicate = PromptQualityFlags(rawValue: 1 << 3)

    /// Every flag with its file spelling, in the order the rules run.
    public static let named: [(flag: PromptQualityFlags, name: String)] = [
        (.tooShort, "too_short"), (.noRequest, "no_request"), (.duplicate, "duplicate"),
        (.nearDuplicate, "near_duplicate"),
    ]

    /// The file spellings of the flags set.
    public var names: [String] {
        Self.named.filter { contains($0.flag) }.map(\.name)
    }

    /// The flag a file spelling names.
    public init?(name: String) {
        guard let match = Self.named.first(where: { $0.name == name }) else { return nil }
        self = match.flag
    }
}
