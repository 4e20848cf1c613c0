import ArgumentParser

/// `rlhf bench tokenize` (to be implemented).
struct TokenizeBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenize", abstract: "Tokenizer encoding throughput.")
    func run() throws { throw ValidationError("not implemented yet") }
}
