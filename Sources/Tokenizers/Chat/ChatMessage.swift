/// One message of a conversation.
public struct ChatMessage: Sendable, Equatable, Codable {
    /// Who speaks.
    public enum Role: String, Sendable, Equatable, Codable, CaseIterable {
        case system, user, assistant
    }

    /// Who says it.
    public var role: Role
    /// What is said.
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    /// A system message.
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
    /// An assistant message.
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: .assistant, content: content) }
}

/// A conversation rendered to token ids, with the tokens the model must learn to produce marked.
public struct ChatEncoding: Sendable, Equatable {
    /// The token ids of the rendered conversation.
    public let ids: [Int]
    /// For each id, whether it belongs to an assistant answer (its text and the token that ends its turn). SFT and
    /// RLHF losses are taken only over these positions.
    public let assistantMask: [Bool]
    /// The rendered text the ids encode.
    public let text: String
}
