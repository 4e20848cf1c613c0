import Foundation
import Tokenizers

/// Reads SFT data from JSON Lines and renders it with the tokenizer's chat template.
///
/// Each line is either a chat, `{"messages": [{"role": "system"|"user"|"assistant", "content": …}, …]}`, or a pair,
/// `{"prompt": …, "response": …}` (one user turn and one assistant answer). Only assistant tokens are trained.
public enum SFTDataset {
    /// The examples of `url`; a malformed line fails with the file, the line number and the problem.
    public static func load(_ url: URL, tokenizer: Tokenizer, format: ChatFormat? = nil) throws -> [TokenizedExample] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingError.invalidData("\(url.path): cannot read: \(error.localizedDescription)")
        }
        var examples: [TokenizedExample] = []
        var number = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            func fail(_ problem: String) -> TrainingError { .invalidData("\(url.path):\(number): \(problem)") }
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed)) as? [String: Any] else {
                throw fail("not a JSON object")
            }
            let messages = try Self.messages(object, fail: fail)
            let encoding: ChatEncoding
            do { encoding = try tokenizer.renderChat(messages, format: format) } catch {
                throw fail("\(error)")
            }
            if !encoding.assistantMask.contains(true) { throw fail("no assistant answer to train on") }
            examples.append(TokenizedExample(ids: encoding.ids, trainMask: encoding.assistantMask))
        }
        if examples.isEmpty { throw TrainingError.invalidData("\(url.path): no examples") }
        return examples
    }

    static func messages(_ object: [String: Any], fail: (String) -> TrainingError) throws -> [ChatMessage] {
        if let raw = object["messages"] {
            guard let list = raw as? [[String: Any]], !list.isEmpty else {
                throw fail("\"messages\" must be a non-empty array of objects")
            }
            return try list.enumerated().map { i, m in
                guard let roleName = m["role"] as? String, let role = ChatMessage.Role(rawValue: roleName) else {
                    throw fail("message \(i) has no valid \"role\" (system, user or assistant)")
                }
                guard let content = m["content"] as? String else {
                    throw fail("message \(i) has no string \"content\"")
                }
                return ChatMessage(role: role, content: content)
            }
        }
        guard let prompt = object["prompt"] as? String, let response = object["response"] as? String else {
            throw fail("expected \"messages\", or string \"prompt\" and \"response\"")
        }
        return [.user(prompt), .assistant(response)]
    }
}
