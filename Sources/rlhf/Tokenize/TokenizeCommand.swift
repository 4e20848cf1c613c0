import ArgumentParser

/// `rlhf tokenize` (to be implemented).
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenize", abstract: "Text to token ids (JSON Lines).")
    func run() throws { throw ValidationError("not implemented yet") }
}

/// `rlhf detokenize` (to be implemented).
struct DetokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "detokenize", abstract: "Token ids to text (JSON Lines).")
    func run() throws { throw ValidationError("not implemented yet") }
}
