import Foundation
import Tokenizers

/// Reads RL prompts from JSON Lines and renders them with the tokenizer's chat template, ending with the assistant's
/// turn opened so the policy answers.
///
/// Each line is `{"prompt": …}` (one user turn) or `{"messages": [{"role", "content"}, …]}` (the conversation so
/// far, ending with a user turn); other fields (e.g. a category) are ignored.
public enum PromptDataset {
    /// The prompts of `url` as token ids; a malformed line fails with the file, the line number and the problem.
    public static func load(_ url: URL, tokenizer: Tokenizer, format: ChatFormat? = nil) throws -> [[Int]] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingError.invalidData("\(url.path): cannot read: \(error.localizedDescription)")
        }
        var prompts: [[Int]] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            func fail(_ problem: String) -> TrainingError { .invalidData("\(url.path):\(index + 1): \(problem)") }
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed)) as? [String: Any] else {
                throw fail("not a JSON object")
            }
            let messages: [ChatMessage]
            if object["messages"] != nil {
                messages = try SFTDataset.messages(object, fail: fail)
                if messages.last?.role != .user { throw fail("the conversation must end with a user turn") }
            } else if let prompt = object["prompt"] as? String {
                messages = [.user(prompt)]
            } else {
                throw fail("expected a string \"prompt\" or \"messages\"")
            }
            do {
                prompts.append(try tokenizer.renderChat(messages, format: format, addGenerationPrompt: true).ids)
            } catch {
                throw fail("\(error)")
            }
        }
        if prompts.isEmpty { throw TrainingError.invalidData("\(url.path): no prompts") }
        return prompts
    }
}
