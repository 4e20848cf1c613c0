/// Two responses to one prompt, to be compared.
public struct ResponsePair: Sendable, Hashable {
    /// The prompt both respond to.
    public var prompt: TaskPrompt
    /// Response A.
    public var a: String
    /// Response B.
    public var b: String

    /// Creates a pair.
    public init(prompt: TaskPrompt, a: String, b: String) {
        self.prompt = prompt
        self.a = a
        self.b = b
    }
}
