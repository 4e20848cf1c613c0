import Testing

@testable import Tokenizers

/// The ids of ../shared/fixtures/tokenizers/expected.json (Hugging Face tokenizers), for GPT-2 in both formats.
@Test(arguments: ["gpt2", "gpt2/tokenizer.json"])
func gpt2MatchesReferenceIDs(path: String) throws {
    let tokenizer = try Fixtures.tokenizer(path)
    let cases = try #require(try Fixtures.json("expected.json")["cases"]?.array)
    #expect(cases.count == 7)
    for c in cases {
        let text = try #require(c["text"]?.string)
        let expected = try #require(c["gpt2"]?.array).compactMap(\.int)
        #expect(tokenizer.encode(text) == expected, "\(text)")
        #expect(tokenizer.decode(expected) == text)
    }
}

/// HF's ids and decoded text for edge cases and seeded random Unicode strings (scripts/make-tokenizer-fixtures.py):
/// GPT-2, Llama-3's and Qwen2's split patterns, SmolLM2's digit splitting, NFC, ignore_merges, string-form merges,
/// added tokens with lstrip/rstrip/single_word/normalized, add_prefix_space.
@Test(arguments: ["gpt2", "small-llama3", "small-qwen2", "small-smollm", "small-glm4", "small-prefix-space"])
func matchesHuggingFaceOnRandomText(name: String) throws {
    let tokenizer = try Fixtures.tokenizer(name == "gpt2" ? "gpt2/tokenizer.json" : name)
    let rows = try #require(try Fixtures.json("hf-cases.json")["tokenizers"]?[name]?.array)
    #expect(rows.count > 400)
    var failures = 0
    for row in rows {
        let text = try #require(row["text"]?.string)
        let expected = try #require(row["ids"]?.array).compactMap(\.int)
        let ids = tokenizer.encode(text)
        if ids != expected {
            failures += 1
            if failures <= 5 { Issue.record("\(name): \(text.debugDescription) → \(ids), HF \(expected)") }
        }
        #expect(tokenizer.decode(expected) == row["decoded"]?.string, "\(name) decode \(text.debugDescription)")
    }
    #expect(failures == 0)
}
