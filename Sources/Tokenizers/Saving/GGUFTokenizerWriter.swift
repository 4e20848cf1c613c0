import GGUF

extension Tokenizer {
    /// This tokenizer as llama.cpp's converter describes it in a GGUF file: `tokenizer.ggml.model` "gpt2" (byte-level
    /// BPE), the tokens by id with their types (normal; control for special added tokens, user-defined for the
    /// others), the merges, the pre-tokenizer's llama.cpp name, the special-token ids, whether BOS/EOS are added, and
    /// the chat template. `Tokenizer.load(from:)` reads the entries back to a tokenizer that encodes the same ids.
    ///
    /// `vocabularySize` (the model's embedding rows; default this tokenizer's) pads the list with `[PAD<id>]` tokens
    /// of type unused, as the converter does. What GGUF has no field for is left out: an NFC normalizer (Qwen2's; a
    /// no-op on NFC text), added tokens' strip and single-word flags. Throws `TokenizerError` when the tokenizer
    /// cannot be described: a pre-tokenizer llama.cpp has no name for, or more ids than `vocabularySize`.
    public func ggufMetadata(vocabularySize: Int? = nil) throws -> [(key: String, value: GGUFValue)] {
        func fail(_ problem: String) -> TokenizerError { TokenizerError(path: source, problem: problem) }
        let size = vocabularySize ?? self.vocabularySize
        guard size >= self.vocabularySize else {
            throw fail("the tokenizer has \(self.vocabularySize) ids but the model only \(size) embedding rows")
        }
        guard let pre = Self.ggufPreTokenizerName(core.preTokenizer.steps, ignoreMerges: core.model.ignoreMerges) else {
            throw fail("GGUF has no name for this pre-tokenizer (\(core.preTokenizer.steps))")
        }
        let post = core.postProcessor
        guard post.prefix.isEmpty || post.prefix == [core.specialTokens.bos],
            post.suffix.isEmpty || post.suffix == [core.specialTokens.eos]
        else {
            throw fail("GGUF can only add BOS before and EOS after a text, not the post-processor's \(post)")
        }
        var tokens: [GGUFValue] = [], types: [GGUFValue] = []
        tokens.reserveCapacity(size)
        types.reserveCapacity(size)
        for id in 0..<size {
            let (text, type): (String, Int32)
            if let added = core.addedByID[id] {
                (text, type) = (added.content, added.special ? 3 : 4)
            } else if id < core.model.tokens.count, let token = core.model.tokens[id] {
                (text, type) = (token, 1)
            } else {
                (text, type) = ("[PAD\(id)]", 5)
            }
            tokens.append(.string(text))
            types.append(.int32(type))
        }
        var out: [(key: String, value: GGUFValue)] = [
            ("tokenizer.ggml.model", .string("gpt2")), ("tokenizer.ggml.pre", .string(pre)),
            ("tokenizer.ggml.tokens", .array(.string, tokens)), ("tokenizer.ggml.token_type", .array(.int32, types)),
            ("tokenizer.ggml.merges", .array(.string, core.model.mergeList.map { .string($0.0 + " " + $0.1) })),
        ]
        let special = core.specialTokens
        let ids: [(String, Int?)] = [
            ("bos_token_id", special.bos), ("eos_token_id", special.eos), ("unknown_token_id", special.unk),
            ("padding_token_id", special.pad),
        ]
        for case (let key, let id?) in ids { out.append(("tokenizer.ggml.\(key)", .uint32(UInt32(id)))) }
        out.append(("tokenizer.ggml.add_bos_token", .bool(!post.prefix.isEmpty)))
        out.append(("tokenizer.ggml.add_eos_token", .bool(!post.suffix.isEmpty)))
        if let chatTemplate = core.chatTemplate { out.append(("tokenizer.chat_template", .string(chatTemplate))) }
        return out
    }

    /// llama.cpp's `tokenizer.ggml.pre` name for `steps`: the first of the usual names that the GGUF loader reads as
    /// these steps, with the same handling of merges if one has it (Llama-3's ignores them, GLM-4's does not).
    static func ggufPreTokenizerName(_ steps: [PreTokenizerStep], ignoreMerges: Bool) -> String? {
        let names = ["gpt-2", "llama-bpe", "glm4", "qwen2", "smollm"].filter {
            GGUFTokenizerLoader.preTokenizers[$0] == steps
        }
        return names.first { GGUFTokenizerLoader.ignoringMerges.contains($0) == ignoreMerges } ?? names.first
    }
}
