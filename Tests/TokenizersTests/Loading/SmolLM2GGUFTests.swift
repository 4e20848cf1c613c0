import Foundation
import Testing

@testable import Tokenizers

/// The real SmolLM2-135M-Instruct GGUF (93 MB, fetched by scripts/fetch-smollm2.sh). Opt-in locally: set
/// RLHF_SMOLLM2_GGUF to its path; CI sets it.
private let smolPath = ProcessInfo.processInfo.environment["RLHF_SMOLLM2_GGUF"]

@Test(.enabled(if: smolPath != nil, "set RLHF_SMOLLM2_GGUF to the path scripts/fetch-smollm2.sh prints"))
func smolLM2GGUFMatchesReferenceIDs() throws {
    let tokenizer = try Tokenizer.load(from: try #require(smolPath))
    #expect(tokenizer.vocabularySize == 49152)
    #expect(tokenizer.bosTokenID == 1)
    #expect(tokenizer.eosTokenID == 2)
    let cases = try #require(try Fixtures.json("expected.json")["cases"]?.array)
    for c in cases {
        let text = try #require(c["text"]?.string)
        let expected = try #require(c["smollm2"]?.array).compactMap(\.int)
        #expect(tokenizer.encode(text) == expected, "\(text)")
        #expect(tokenizer.decode(expected) == text)
    }
}

/// SmolLM2's own chat template (read from the GGUF), rendered like transformers renders it.
@Test(.enabled(if: smolPath != nil, "set RLHF_SMOLLM2_GGUF to the path scripts/fetch-smollm2.sh prints"))
func smolLM2ChatTemplate() throws {
    let tokenizer = try Tokenizer.load(from: try #require(smolPath))
    #expect(
        tokenizer.chatFormat
            == .chatML(defaultSystemPrompt: "You are a helpful AI assistant named SmolLM, trained by Hugging Face"))
    let cases = try #require(try Fixtures.json("chat-smollm2.json")["cases"]?.array)
    for c in cases {
        let messages = try #require(c["messages"]?.array).map { m in
            ChatMessage(
                role: try #require(ChatMessage.Role(rawValue: m["role"]?.string ?? "")),
                content: try #require(m["content"]?.string))
        }
        let chat = try tokenizer.renderChat(messages, addGenerationPrompt: c["add_generation_prompt"]?.bool ?? false)
        #expect(chat.text == c["text"]?.string)
        #expect(chat.ids == c["ids"]?.array?.compactMap(\.int))
    }
}
