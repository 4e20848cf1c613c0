import Foundation
import Testing
import Tokenizers

@testable import Alignment

/// Preference pairs and prompts rendered with a chat template into DPO's prompt / answer split, one-line errors for
/// pairs that cannot be rendered, and the config file settings.
@Suite struct DPODataTests {
    /// A small ChatML tokenizer (SmolLM2's format) from the tokenizer fixtures.
    static func tokenizer() throws -> Tokenizer {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("TokenizersTests/Fixtures/small-smollm/tokenizer.json")
            .path
        return try Tokenizer.load(from: path)
    }

    static func pair(_ prompt: String, _ chosen: String, _ rejected: String, context: [ChatMessage] = [], id: Int64 = 1)
        -> TextPair
    {
        TextPair(id: id, promptID: id, context: context, prompt: prompt, chosen: chosen, rejected: rejected)
    }

    @Test func pairsSplitWhereTheAnswerStarts() throws {
        let tok = try Self.tokenizer()
        let context: [ChatMessage] = [.user("Hi there."), .assistant("Hello! How can I help?")]
        let pairs = [
            Self.pair("Name a colour.", "Blue, like the sky.", "No."),
            Self.pair("And a fruit?", "An apple.", "I would rather not say.", context: context),
        ]
        let dpo = try DPOPairDataset.tokenize(pairs, tokenizer: tok)
        let end = try #require(tok.id(forToken: "<|im_end|>"))
        for (pair, tokenized) in zip(pairs, dpo) {
            for (text, answer) in [(pair.chosen, tokenized.chosen), (pair.rejected, tokenized.rejected)] {
                let full = try tok.renderChat(PairDataset.conversation(pair, response: text))
                // Prompt + answer is the rendered conversation up to the answer's end-of-turn token.
                #expect(Array(full.ids.prefix(tokenized.prompt.count + answer.count)) == tokenized.prompt + answer)
                #expect(answer.last == end)
                #expect(tok.decode(answer) == text + "<|im_end|>")
            }
            #expect(tok.decode(tokenized.prompt).hasSuffix("<|im_start|>assistant\n"))
        }
        #expect(
            tok.decode(dpo[1].prompt).contains("Hello! How can I help?<|im_end|>"), "earlier turns are in the prompt")
    }

    @Test func promptsRenderAlikeFromPairsAndFromPromptFiles() throws {
        // On-policy answers are sampled after these prompts, offline answers are split after them: the same tokens.
        let tok = try Self.tokenizer()
        let file = try Self.write([
            #"{"prompt": "Name a colour."}"#,
            #"{"messages": [{"role": "user", "content": "Hi there."}, {"role": "assistant", "content": "Hello!"}, {"role": "user", "content": "And a fruit?"}]}"#,
        ])
        defer { try? FileManager.default.removeItem(at: file) }
        let context: [ChatMessage] = [.user("Hi there."), .assistant("Hello!")]
        let fromPairs = try DPOPairDataset.prompts(
            of: [
                Self.pair("Name a colour.", "a", "b"), Self.pair("Name a colour.", "c", "d"),
                Self.pair("And a fruit?", "e", "f", context: context, id: 2),
            ], tokenizer: tok)
        #expect(fromPairs.count == 2, "one prompt per prompt id")
        #expect(try PromptDataset.load(file, tokenizer: tok) == fromPairs)
        #expect(
            try DPOPairDataset.tokenize([Self.pair("Name a colour.", "a", "b")], tokenizer: tok).first?.prompt
                == fromPairs[0])
    }

    @Test func aPairThatCannotBeRenderedIsNamedInOneLine() throws {
        let gpt2 = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("TokenizersTests/Fixtures/gpt2/tokenizer.json").path
        let plain = try Tokenizer.load(from: gpt2)  // no chat template, no chat tokens
        #expect { try DPOPairDataset.tokenize([Self.pair("p", "a", "b")], tokenizer: plain) } throws: { error in
            "\(error)".hasPrefix("pair 1 (comparison 1): ") && "\(error)".contains("no chat format")
                && !"\(error)".contains("\n")
        }
    }

    @Test func configFilesSetSomeFieldsAndRejectTypos() throws {
        let partial = try JSONDecoder().decode(
            DPOConfig.self,
            from: Data(
                #"{"steps": 12, "beta": 0.5, "lossType": "ipo", "sftCoefficient": 0.2, "samplesPerPrompt": 8}"#.utf8))
        var expected = DPOConfig()
        expected.steps = 12; expected.beta = 0.5; expected.lossType = .ipo; expected.sftCoefficient = 0.2
        expected.samplesPerPrompt = 8
        #expect(partial == expected)
        #expect(DPOConfig().beta == 0.1 && DPOConfig().lossType == .sigmoid && DPOConfig().sftCoefficient == 0)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(DPOConfig.self, from: Data(#"{"betta": 0.5}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(DPOConfig.self, from: Data(#"{"lossType": "hinge"}"#.utf8))
        }
        // Every setting round-trips under its documented key.
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(DPOConfig())) as! [String: Any]
        #expect(Set(encoded.keys) == Set(DPOConfig.keyNames))
        var bad = DPOConfig(); bad.maxLength = bad.maxPromptLength
        #expect(bad.problem?.contains("to leave room for a response") == true)
        bad = DPOConfig(); bad.beta = 0
        #expect(bad.problem?.contains("beta must be positive") == true)
    }

    static func write(_ lines: [String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-dpo-\(UUID().uuidString).jsonl")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
