import Testing

@testable import Tokenizers

/// vocab.json + merges.txt folders with transformers' side files (special_tokens_map.json, tokenizer_config.json,
/// added_tokens.json), against what transformers' AutoTokenizer makes of them (scripts/make-vocab-merges-fixtures.py):
/// special and added tokens inside the text become their ids, roles and new ids are the same.
@Test(arguments: ["vocab-merges-legacy", "vocab-merges-decoder"])
func vocabMergesFolderHonoursSideFilesLikeTransformers(name: String) throws {
    let tokenizer = try Fixtures.tokenizer(name)
    let expected = try #require(try Fixtures.json("vocab-merges-expected.json")[name])
    #expect(tokenizer.vocabularySize == expected["length"]?.int)
    let roles = try #require(expected["special"])
    #expect(tokenizer.bosTokenID == roles["bos"]?.int)
    #expect(tokenizer.eosTokenID == roles["eos"]?.int)
    #expect(tokenizer.padTokenID == roles["pad"]?.int)
    #expect(tokenizer.specialTokens.unk == roles["unk"]?.int)

    let specialIDs = Set(try #require(expected["special_ids"]?.array).compactMap(\.int))
    let added = try #require(expected["added"]?.array)
    #expect(Set(tokenizer.addedTokens.map(\.id)) == Set(added.compactMap { $0["id"]?.int }))
    for token in added {
        let id = try #require(token["id"]?.int)
        #expect(tokenizer.token(forID: id) == token["content"]?.string)
        #expect(tokenizer.isSpecial(id) == specialIDs.contains(id), "\(name): id \(id)")
    }

    let cases = try #require(expected["cases"]?.array)
    #expect(cases.count == 10)
    for row in cases {
        let text = try #require(row["text"]?.string)
        let ids = try #require(row["ids"]?.array).compactMap(\.int)
        #expect(tokenizer.encode(text) == ids, "\(name): \(text.debugDescription)")
        #expect(tokenizer.decode(ids) == row["decoded"]?.string, "\(name): decode \(text.debugDescription)")
    }
}
