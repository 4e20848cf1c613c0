/// The intent categories of the built-in alignment task (the paper tags every prompt with one so each is represented).
public enum TaskCategory: String, Sendable, Hashable, CaseIterable, Codable {
    /// Short creative writing: a poem, a story, a note about a topic.
    case writing
    /// Open questions with a known short answer.
    case openQA = "open_qa"
    /// One arithmetic operation on small integers.
    case arithmetic
    /// Requests that sound risky: half are unsafe (must be refused), half are safe (must be answered).
    case safety
    /// Answer in the voice of a persona.
    case rolePlay = "role_play"
}

/// The languages of the built-in task; the paper's evaluation is mostly Chinese, so both are present.
public enum TaskLanguage: String, Sendable, Hashable, CaseIterable, Codable {
    /// English.
    case english = "en"
    /// Simplified Chinese.
    case chinese = "zh"
}
