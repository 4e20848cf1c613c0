import GGUF
import JSONSupport

/// Reads the byte-level BPE tokenizer stored in a GGUF file's metadata (`tokenizer.ggml.*`), as llama.cpp does.
enum GGUFTokenizerLoader {
    /// llama.cpp's `tokenizer.ggml.pre` names and the HF pre-tokenizer each stands for.
    static let preTokenizers: [String: [PreTokenizerStep]] = {
        var table: [String: [PreTokenizerStep]] = [:]
        for name in [
            "gpt-2", "gpt2", "phi-2", "jina-es", "jina-de", "jina-v1-en", "jina-v2-es", "jina-v2-de",
            "jina-v2-code", "roberta-bpe", "mpt", "olmo", "jais", "gigachat", "trillion",
        ] {
            table[name] = [.pattern(.gpt2)]
        }
        for name in ["llama3", "llama-v3", "llama-bpe", "falcon3", "glm4", "chatglm-bpe", "pixtral", "lfm2"] {
            table[name] = [.pattern(.llama3(maxDigits: 3))]
        }
        for name in ["qwen2", "deepseek-r1-qwen", "megrez"] { table[name] = [.pattern(.llama3(maxDigits: 1))] }
        // StarCoder's family splits every digit off first, then applies GPT-2's pattern.
        for name in ["smollm", "starcoder", "refact", "codeshell", "command-r"] {
            table[name] = [.digits(individual: true), .pattern(.gpt2)]
        }
        return table
    }()

    /// The `tokenizer.ggml.pre` names for which llama.cpp ignores merges (HF `ignore_merges`: a word that is itself a
    /// token is taken whole), as Llama-3's tokenizer does.
    static let ignoringMerges: Set<String> = ["llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral", "lfm2"]

    static func load(path: String) throws -> Tokenizer {
        let file: GGUFFile
        do {
            file = try GGUFFile(path: path)
        } catch let error as GGUFError {
            throw TokenizerError(path: path, problem: error.problem)
        }
        let m = file.metadata
        func fail(_ problem: String) -> TokenizerError { TokenizerError(path: path, problem: problem) }
        guard let model = m.string("tokenizer.ggml.model") else {
            throw fail("no tokenizer.ggml.model: the file has no tokenizer")
        }
        guard model == "gpt2" else {
            let kind = model == "llama" ? " (SentencePiece)" : ""
            throw fail(
                "unsupported tokenizer.ggml.model \"\(model)\"\(kind); only byte-level BPE (\"gpt2\") is supported")
        }
        guard let tokenList = m.stringArray("tokenizer.ggml.tokens"), !tokenList.isEmpty else {
            throw fail("tokenizer.ggml.tokens is missing or not an array of strings")
        }
        guard let mergeStrings = m.stringArray("tokenizer.ggml.merges") else {
            throw fail("tokenizer.ggml.merges is missing or not an array of strings")
        }
        var types = [Int](repeating: 1, count: tokenList.count)
        if m["tokenizer.ggml.token_type"] != nil {
            guard let given = m.intArray("tokenizer.ggml.token_type"), given.count == tokenList.count else {
                throw fail(
                    "tokenizer.ggml.token_type must be an integer array as long as tokenizer.ggml.tokens (\(tokenList.count))"
                )
            }
            types = given
        }
        var merges: [(String, String)] = []
        merges.reserveCapacity(mergeStrings.count)
        for (index, merge) in mergeStrings.enumerated() {
            let parts = merge.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw fail(
                    "tokenizer.ggml.merges[\(index)] \(JSONWriter.quoted(merge)) is not two tokens separated by one space"
                )
            }
            merges.append((String(parts[0]), String(parts[1])))
        }
        let preName = m.string("tokenizer.ggml.pre") ?? "gpt-2"
        guard let steps = preTokenizers[preName] else {
            throw fail(
                "unsupported tokenizer.ggml.pre \"\(preName)\" (supported: \(preTokenizers.keys.sorted().joined(separator: ", ")))"
            )
        }
        let bpe: BPEModel
        do {
            bpe = try BPEModel(tokens: tokenList, merges: merges, ignoreMerges: ignoringMerges.contains(preName))
        } catch let error as BPEModel.BuildError {
            throw fail("tokenizer.ggml.merges: \(error.message)")
        }
        // Control tokens (type 3) are special; user-defined ones (type 4) are matched in text too, as in llama.cpp.
        var added: [AddedToken] = []
        for (id, type) in types.enumerated() where type == 3 || type == 4 {
            added.append(AddedToken(content: tokenList[id], id: id, special: type == 3))
        }
        func specialID(_ key: String) -> Int? {
            guard let id = m.int(key), id >= 0, id < tokenList.count else { return nil }
            return id
        }
        let special = SpecialTokens(
            bos: specialID("tokenizer.ggml.bos_token_id"), eos: specialID("tokenizer.ggml.eos_token_id"),
            pad: specialID("tokenizer.ggml.padding_token_id"),
            unk: specialID("tokenizer.ggml.unknown_token_id"))
        var post = PostProcessor()
        if m.bool("tokenizer.ggml.add_bos_token") == true, let bos = special.bos { post.prefix = [bos] }
        if m.bool("tokenizer.ggml.add_eos_token") == true, let eos = special.eos { post.suffix = [eos] }
        let core = TokenizerCore(
            model: bpe, addedTokens: added, normalizer: .none, preTokenizer: PreTokenizer(steps: steps),
            postProcessor: post, specialTokens: special, chatTemplate: m.string("tokenizer.chat_template"))
        return Tokenizer(core: core, source: path)
    }
}
