import Alignment
import ArgumentParser
import Foundation
import Tokenizers

/// `rlhf rm score`: reward-model scores of (prompt, response) lines.
struct RMScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score {prompt, response} JSON Lines with a trained reward model.",
        discussion: """
            Reads {"prompt": …, "response": …} lines, where prompt is a string or a list of {"role", "content"} \
            messages ending with the user's, and prints {"score": …} lines in the same order. Each conversation is \
            rendered with the tokenizer's chat template exactly as in training; conversations longer than \
            --max-length keep their last tokens.
            """
    )

    @OptionGroup var scoring: RMScoringOptions

    @Option(help: "JSON Lines input file (- for standard input).")
    var input: String

    func run() throws {
        let (rm, tok, limit) = try scoring.load()
        let name = input == "-" ? "stdin" : input
        let sequences = try jsonObjects(input).map { line, object -> [Int] in
            func fail(_ problem: String) -> CommandFailure { CommandFailure("\(name):\(line): \(problem)") }
            guard let response = object["response"] as? String else { throw fail("expected a string \"response\"") }
            let (context, prompt) = try Self.prompt(object["prompt"], fail: fail)
            do {
                let chat = PairDataset.conversation(context: context, prompt: prompt, response: response)
                return Array(try PairDataset.scoredSequence(chat, tokenizer: tok).suffix(limit))
            } catch {
                throw fail("\(error)")
            }
        }
        for score in rm.scores(of: sequences, batchSize: scoring.batchSize, padId: RMModelFiles.padID(tok)) {
            printJSONLine(["score": Double(score)])
        }
    }

    /// Earlier turns and the final user message of a `prompt` field.
    static func prompt(_ value: Any?, fail: (String) -> CommandFailure) throws -> ([ChatMessage], String) {
        if let text = value as? String { return ([], text) }
        guard let messages = value as? [[String: Any]], !messages.isEmpty else {
            throw fail("\"prompt\" must be a string or a non-empty list of {\"role\", \"content\"} messages")
        }
        let turns = try messages.enumerated().map { i, m -> ChatMessage in
            guard let roleName = m["role"] as? String, let role = ChatMessage.Role(rawValue: roleName) else {
                throw fail("message \(i + 1) has no valid \"role\" (system, user or assistant)")
            }
            guard let content = m["content"] as? String else {
                throw fail("message \(i + 1) has no string \"content\"")
            }
            return ChatMessage(role: role, content: content)
        }
        guard turns.last!.role == .user else { throw fail("the last prompt message must be the user's") }
        return (Array(turns.dropLast()), turns.last!.content)
    }
}
