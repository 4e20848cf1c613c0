import Foundation
import GGUF
import Testing

@testable import Tokenizers

/// A tokenizer written as GGUF metadata (`Tokenizer.ggufMetadata`) reads back as one that encodes every text the
/// same way, special tokens, digits and Chinese included.
@Suite struct GGUFTokenizerWriterTests {
    /// Writes `tokenizer`'s entries into a GGUF file (no tensors) and loads it back.
    func roundTrip(_ tokenizer: Tokenizer, vocabularySize: Int? = nil) throws -> Tokenizer {
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("llama"))
        for (key, value) in try tokenizer.ggufMetadata(vocabularySize: vocabularySize) { writer.set(key, value) }
        let path = Fixtures.temporaryDirectory().appendingPathComponent("tokenizer.gguf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writer.write(to: path)
        return try Tokenizer.load(from: path)
    }

    @Test(arguments: ["gpt2", "small-llama3", "small-qwen2", "small-smollm", "small-glm4"])
    func encodesTheSameIDs(_ name: String) throws {
        let original = try Fixtures.tokenizer(name)
        let loaded = try roundTrip(original)
        // GGUF cannot say that an added token strips whitespace or matches whole words only, nor normalize.
        let flagged = original.addedTokens.filter { $0.leftStrip || $0.rightStrip || $0.singleWord || $0.normalized }
        let rows = try #require(try Fixtures.json("hf-cases.json")["tokenizers"]?[name]?.array)
        var compared = 0
        for row in rows {
            let text = try #require(row["text"]?.string)
            if flagged.contains(where: { Array(text.utf8).firstRange(of: Array($0.content.utf8)) != nil })
                || !text.precomposedStringWithCanonicalMapping.utf8.elementsEqual(text.utf8)
            {
                continue
            }
            #expect(loaded.encode(text) == original.encode(text), "\(text.debugDescription)")
            compared += 1
        }
        #expect(compared > 400)
        for text in ["<|im_start|>user\n你好，世界！<|im_end|>", "中文 English 混合 text 12345", "<|endoftext|>"] {
            #expect(loaded.encode(text) == original.encode(text), "\(text.debugDescription)")
            #expect(loaded.encode(text, addSpecialTokens: true) == original.encode(text, addSpecialTokens: true))
            #expect(loaded.decode(original.encode(text)) == original.decode(original.encode(text)))
        }
        #expect(loaded.specialTokens == original.specialTokens)
        #expect(loaded.chatTemplate == original.chatTemplate)
        #expect(loaded.vocabularySize == original.vocabularySize)
        for token in original.addedTokens {
            #expect(loaded.id(forToken: token.content) == token.id)
            #expect(loaded.isSpecial(token.id) == token.special)
        }
    }

    @Test func paddingTokensFillTheModelsRows() throws {
        let original = try Fixtures.tokenizer("small-qwen2")
        let entries = try original.ggufMetadata(vocabularySize: original.vocabularySize + 3)
        let tokens = try #require(entries.first { $0.key == "tokenizer.ggml.tokens" }?.value)
        let types = try #require(entries.first { $0.key == "tokenizer.ggml.token_type" }?.value)
        guard case .array(_, let list) = tokens, case .array(_, let kinds) = types else {
            Issue.record("tokens or types are not arrays")
            return
        }
        let last = original.vocabularySize + 2
        #expect(list.count == last + 1 && list[last] == .string("[PAD\(last)]") && kinds[last] == .int32(5))
        #expect(kinds[0] == .int32(3) && kinds[original.vocabularySize - 1] != .int32(5))
        let loaded = try roundTrip(original, vocabularySize: original.vocabularySize + 3)
        #expect(loaded.vocabularySize == original.vocabularySize + 3)
        #expect(loaded.encode("你好 hello") == original.encode("你好 hello"))
    }

    @Test func preTokenizerNamesFollowTheMerges() throws {
        let names = try ["small-llama3", "small-glm4", "small-qwen2", "small-smollm", "gpt2"].map { name in
            try Fixtures.tokenizer(name).ggufMetadata().first { $0.key == "tokenizer.ggml.pre" }?.value
        }
        #expect(names == ["llama-bpe", "glm4", "qwen2", "smollm", "gpt-2"].map { GGUFValue.string($0) })
    }

    @Test func refusesWhatGGUFCannotSay() throws {
        let prefixSpace = try Fixtures.tokenizer("small-prefix-space")
        #expect(throws: TokenizerError.self) { try prefixSpace.ggufMetadata() }
        let qwen = try Fixtures.tokenizer("small-qwen2")
        let error = #expect(throws: TokenizerError.self) { try qwen.ggufMetadata(vocabularySize: 10) }
        #expect(error?.problem.contains("embedding rows") == true)
    }
}
