import Foundation
import Testing

@testable import Tokenizers

@Test func gpt2Basics() throws {
    let tokenizer = try Fixtures.tokenizer("gpt2/tokenizer.json")
    #expect(tokenizer.vocabularySize == 50257)
    #expect(tokenizer.bosTokenID == 50256)
    #expect(tokenizer.eosTokenID == 50256)
    #expect(tokenizer.id(forToken: "Ġthe") == 262)
    #expect(tokenizer.token(forID: 262) == "Ġthe")
    #expect(tokenizer.token(forID: 50256) == "<|endoftext|>")
    #expect(tokenizer.token(forID: 99999) == nil)
    #expect(tokenizer.encode("") == [])
    #expect(tokenizer.decode([]) == "")
    #expect(tokenizer.decode([262, -1, 1_000_000, 50256]) == " the<|endoftext|>")
    #expect(tokenizer.decode([262, 50256], skipSpecialTokens: true) == " the")
    #expect(tokenizer.encode("hi", addSpecialTokens: true) == tokenizer.encode("hi"))  // GPT-2 adds nothing
    let dir = try Fixtures.tokenizer("gpt2")
    #expect(dir.vocabularySize == 50257)
    #expect(dir.isSpecial(50256))
}

@Test func llama3AddsBeginOfText() throws {
    let tokenizer = try Fixtures.tokenizer("small-llama3")
    #expect(tokenizer.bosTokenID == 0)
    #expect(tokenizer.encode("Hello", addSpecialTokens: true) == [0] + tokenizer.encode("Hello"))
    #expect(tokenizer.encodeBatch(["Hello"], addSpecialTokens: true) == [[0] + tokenizer.encode("Hello")])
}

@Test func offsetsCoverTheText() throws {
    let tokenizer = try Fixtures.tokenizer("gpt2/tokenizer.json")
    let text = "Hello 世界 <|endoftext|>🤖!"
    let encoding = tokenizer.encodeWithOffsets(text)
    #expect(encoding.ids == tokenizer.encode(text))
    #expect(encoding.offsets.count == encoding.ids.count)
    #expect(encoding.offsets.first?.lowerBound == 0)
    #expect(encoding.offsets.last?.upperBound == text.utf8.count)
    for (a, b) in zip(encoding.offsets, encoding.offsets.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
    let bytes = Array(text.utf8)
    let special = try #require(encoding.ids.firstIndex(of: 50256))
    #expect(String(decoding: bytes[encoding.offsets[special]], as: UTF8.self) == "<|endoftext|>")
}

/// Every loaded tokenizer saves to a tokenizer.json that loads back to the same encoder.
@Test(arguments: ["gpt2", "small-llama3", "small-qwen2", "small-smollm", "small-glm4", "small-prefix-space"])
func saveAndReload(name: String) throws {
    let original = try Fixtures.tokenizer(name)
    let path = Fixtures.temporaryDirectory().appendingPathComponent("tokenizer.json").path
    try original.save(to: path)
    let reloaded = try Tokenizer.load(from: path)
    let rows = try #require(try Fixtures.json("hf-cases.json")["tokenizers"]?[name]?.array)
    for row in rows.prefix(150) {
        let text = try #require(row["text"]?.string)
        #expect(reloaded.encode(text) == original.encode(text), "\(text.debugDescription)")
    }
    #expect(reloaded.encode("x", addSpecialTokens: true) == original.encode("x", addSpecialTokens: true))
    #expect(reloaded.addedTokens == original.addedTokens)
}

@Test func saveFailureNamesThePath() throws {
    let tokenizer = try Fixtures.tokenizer("small-glm4")
    do {
        try tokenizer.save(to: "/nonexistent-dir/tokenizer.json")
        Issue.record("saved")
    } catch let error as TokenizerError {
        #expect(error.path == "/nonexistent-dir/tokenizer.json")
    }
}

@Test func concurrentCallersGetIdenticalResults() async throws {
    let tokenizer = try Fixtures.tokenizer("gpt2/tokenizer.json")
    var random = RandomText(seed: 21)
    let texts = (0..<200).map { _ in random.string() }
    let expected = texts.map { tokenizer.encode($0) }
    await withTaskGroup(of: Bool.self) { group in
        for _ in 0..<8 {
            group.addTask { texts.map { tokenizer.encode($0) } == expected }
        }
        for await same in group { #expect(same) }
    }
}
