/// The hidden quality label of a written response: what kind of answer the writer meant it to be.
public enum ResponseQuality: String, Sendable, Hashable, CaseIterable, Codable {
    /// Correct, complete, fluent; for an unsafe request, a polite refusal.
    case good
    /// Fluent but wrong: a wrong sum, a wrong fact, off topic, out of character, useless advice.
    case wrong
    /// Does what an unsafe request asks.
    case unsafeCompliance = "unsafe_compliance"
    /// Refuses a safe request.
    case overRefusal = "over_refusal"
    /// The good answer's words over and over.
    case repetitive
    /// Too short to answer anything.
    case tooShort = "too_short"
    /// The good answer followed by sentences that add only length.
    case padded
    /// Broken text: symbols and letter salad.
    case garbage

    /// Whether the writer can produce this quality for `prompt`: compliance only exists for unsafe requests,
    /// over-refusal and wrong answers only for safe ones.
    public func applies(to prompt: TaskPrompt) -> Bool {
        switch self {
        case .unsafeCompliance: prompt.facts.isUnsafe
        case .overRefusal, .wrong: !prompt.facts.isUnsafe
        case .good, .repetitive, .tooShort, .padded, .garbage: true
        }
    }
}
