import Foundation
import GGUF
import Testing

@testable import Tokenizers

/// A GGUF file carrying `source`'s vocabulary the way llama.cpp's converter writes it.
private func ggufFile(
    from source: Tokenizer, model: String = "gpt2", pre: String? = "smollm",
    mutate: (inout GGUFWriter) -> Void = { _ in }
) throws -> String {
    var writer = GGUFWriter()
    let tokens = source.core.model.tokens.map { $0 ?? "" }
    let special = Set(source.addedTokens.filter(\.special).map(\.id))
    writer.set("general.architecture", .string("llama"))
    writer.set("tokenizer.ggml.model", .string(model))
    if let pre { writer.set("tokenizer.ggml.pre", .string(pre)) }
    writer.set("tokenizer.ggml.tokens", .array(.string, tokens.map { .string($0) }))
    writer.set("tokenizer.ggml.token_type", .array(.int32, tokens.indices.map { .int32(special.contains($0) ? 3 : 1) }))
    writer.set("tokenizer.ggml.merges", .array(.string, source.core.model.mergeList.map { .string("\($0.0) \($0.1)") }))
    writer.set("tokenizer.ggml.bos_token_id", .uint32(1))
    writer.set("tokenizer.ggml.eos_token_id", .uint32(2))
    writer.set("tokenizer.ggml.padding_token_id", .uint32(2))
    writer.set("tokenizer.chat_template", .string("{{ '<|im_start|>' + message['role'] }}"))
    mutate(&writer)
    let path = Fixtures.temporaryDirectory().appendingPathComponent("tiny.gguf").path
    try writer.write(to: path)
    return path
}

/// A GGUF made from small-smollm's vocabulary, with `tokenizer.ggml.pre = "smollm"`, encodes like HF does with
/// SmolLM2's pre-tokenizer (digits split first); special tokens come from the control token types.
@Test func ggufTokenizerMatchesHuggingFace() throws {
    let source = try Fixtures.tokenizer("small-smollm")
    let tokenizer = try Tokenizer.load(from: try ggufFile(from: source))
    let rows = try #require(try Fixtures.json("hf-cases.json")["tokenizers"]?["small-smollm"]?.array)
    for row in rows {
        let text = try #require(row["text"]?.string)
        // The GGUF has no lstrip/rstrip/single_word added tokens, so only texts without them compare.
        // Byte search: a String search compares whole characters, and "<mask>🏽" ends in one character ">🏽".
        if ["<mask>", "[SEP]", "@@", "zzz"].contains(where: { Array(text.utf8).firstRange(of: Array($0.utf8)) != nil })
        {
            continue
        }
        #expect(tokenizer.encode(text) == row["ids"]?.array?.compactMap(\.int), "\(text.debugDescription)")
    }
    #expect(tokenizer.bosTokenID == 1)
    #expect(tokenizer.eosTokenID == 2)
    #expect(tokenizer.padTokenID == 2)
    #expect(tokenizer.chatFormat == .chatML(defaultSystemPrompt: nil))
    #expect(tokenizer.isSpecial(0))
    #expect(tokenizer.encode("<|im_start|>") == [1])
}

@Test func ggufAddBosFlag() throws {
    let source = try Fixtures.tokenizer("small-smollm")
    let path = try ggufFile(from: source) { $0.set("tokenizer.ggml.add_bos_token", .bool(true)) }
    let tokenizer = try Tokenizer.load(from: path)
    #expect(tokenizer.encode("hi", addSpecialTokens: true) == [1] + tokenizer.encode("hi"))
    #expect(tokenizer.encode("hi", addSpecialTokens: false) == tokenizer.encode("hi"))
}

@Test func ggufPreTokenizerNames() throws {
    let source = try Fixtures.tokenizer("small-smollm")
    let gpt2 = try Tokenizer.load(from: try ggufFile(from: source, pre: "gpt-2"))
    let smol = try Tokenizer.load(from: try ggufFile(from: source, pre: "smollm"))
    let missing = try Tokenizer.load(from: try ggufFile(from: source, pre: nil))
    // Whitespace before a digit is where the digit pre-split shows.
    #expect(gpt2.encode("a  1") != smol.encode("a  1"))
    #expect(missing.encode("a  1") == gpt2.encode("a  1"))
    let llama = try Tokenizer.load(from: try ggufFile(from: source, pre: "llama-bpe"))
    #expect(llama.encode("end.\n\nNext") != gpt2.encode("end.\n\nNext"))
}

@Test func ggufErrors() throws {
    let source = try Fixtures.tokenizer("small-smollm")
    func problem(_ path: String) -> String {
        do {
            _ = try Tokenizer.load(from: path)
            return "loaded"
        } catch let error as TokenizerError {
            #expect(error.path == path)
            return error.problem
        } catch {
            return "\(error)"
        }
    }
    #expect(
        problem(try ggufFile(from: source, model: "llama"))
            == #"unsupported tokenizer.ggml.model "llama" (SentencePiece); only byte-level BPE ("gpt2") is supported"#)
    #expect(problem(try ggufFile(from: source, pre: "tekken")).hasPrefix(#"unsupported tokenizer.ggml.pre "tekken""#))
    #expect(
        problem(
            try ggufFile(from: source) { $0.set("tokenizer.ggml.merges", .array(.string, [.string("Ġ nosuchtoken")])) }
        )
        .contains(#"merge #1 "Ġ nosuchtoken" uses "nosuchtoken", which is not in the vocabulary"#))
    #expect(
        problem(try ggufFile(from: source) { $0.set("tokenizer.ggml.tokens", .uint32(5)) }).contains(
            "tokenizer.ggml.tokens is missing"))
    #expect(
        problem(try ggufFile(from: source) { $0.set("tokenizer.ggml.token_type", .array(.int32, [.int32(1)])) })
            .contains("tokenizer.ggml.token_type must be"))
    var noTokenizer = GGUFWriter()
    noTokenizer.set("general.architecture", .string("llama"))
    let bare = Fixtures.temporaryDirectory().appendingPathComponent("bare.gguf").path
    try noTokenizer.write(to: bare)
    #expect(problem(bare).contains("no tokenizer.ggml.model"))
    // A truncated file reports the container's problem under the file's name.
    let full = try ggufFile(from: source)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: full))
    let cut = Fixtures.temporaryDirectory().appendingPathComponent("cut.gguf").path
    try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))
    #expect(problem(cut).hasPrefix("truncated"))
}
