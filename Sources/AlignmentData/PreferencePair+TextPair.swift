import Alignment
import PreferenceData
import Tokenizers

extension PreferencePair {
    /// The pair as the plain text values the trainers' datasets read.
    public var textPair: TextPair {
        TextPair(
            id: comparisonID.rawValue, promptID: promptID.rawValue, context: context.map(\.chatMessage),
            prompt: prompt, chosen: chosen, rejected: rejected, category: category)
    }
}

extension Turn {
    /// The turn as a message of a chat template.
    public var chatMessage: ChatMessage {
        switch role {
        case .system: .system(content)
        case .user: .user(content)
        case .assistant: .assistant(content)
        }
    }
}
