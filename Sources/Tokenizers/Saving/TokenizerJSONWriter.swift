import AtomicFiles
import Foundation
import JSONSupport

extension Tokenizer {
    /// Writes this tokenizer as a Hugging Face `tokenizer.json` (BPE model with pair-form merges, added tokens,
    /// normalizer, pre-tokenizer, post-processor, ByteLevel decoder) that `tokenizers` loads and encodes identically.
    /// The file is written to a temporary name and renamed. Throws `TokenizerError` naming the path on failure.
    public func save(to path: String) throws {
        let text = JSONWriter.string(tokenizerJSON(), style: .pretty) + "\n"
        do { try AtomicFile.write(Array(text.utf8), to: path) } catch {
            throw TokenizerError(path: path, problem: error.reason)
        }
    }

    func tokenizerJSON() -> JSONValue {
        let model = core.model
        var vocab: [(key: String, value: JSONValue)] = []
        vocab.reserveCapacity(model.tokens.count)
        for (id, token) in model.tokens.enumerated() {
            if let token { vocab.append((token, .int(id))) }
        }
        let merges = JSONValue.array(model.mergeList.map { .array([.string($0.0), .string($0.1)]) })
        let modelJSON: JSONValue = .object([
            ("type", .string("BPE")), ("dropout", .null),
            ("unk_token", model.unknownID.flatMap { model.tokens[Int($0)] }.map(JSONValue.string) ?? .null),
            ("continuing_subword_prefix", .null), ("end_of_word_suffix", .null),
            ("fuse_unk", .bool(model.fuseUnknown)), ("byte_fallback", .bool(model.byteFallbackIDs != nil)),
            ("ignore_merges", .bool(model.ignoreMerges)), ("vocab", .object(JSONObject(vocab))), ("merges", merges),
        ])
        let added = JSONValue.array(
            core.addedTokens.map { token in
                .object([
                    ("id", .int(token.id)), ("content", .string(token.content)),
                    ("single_word", .bool(token.singleWord)),
                    ("lstrip", .bool(token.leftStrip)), ("rstrip", .bool(token.rightStrip)),
                    ("normalized", .bool(token.normalized)), ("special", .bool(token.special)),
                ])
            })
        let normalizer: JSONValue = core.normalizer == .nfc ? .object([("type", .string("NFC"))]) : .null
        return .object([
            ("version", .string("1.0")), ("truncation", .null), ("padding", .null), ("added_tokens", added),
            ("normalizer", normalizer), ("pre_tokenizer", Self.preTokenizerJSON(core.preTokenizer.steps)),
            ("post_processor", postProcessorJSON()),
            (
                "decoder",
                .object([
                    ("type", .string("ByteLevel")), ("add_prefix_space", .bool(true)),
                    ("trim_offsets", .bool(true)), ("use_regex", .bool(true)),
                ])
            ),
            ("model", modelJSON),
        ])
    }

    /// HF's description of the pre-tokenizer steps: a trailing `[prefix space,] GPT-2 pattern` is ByteLevel with
    /// its regex; other patterns are Splits and digits are Digits, followed by a ByteLevel without regex.
    static func preTokenizerJSON(_ steps: [PreTokenizerStep]) -> JSONValue {
        func byteLevel(prefixSpace: Bool, regex: Bool) -> JSONValue {
            .object([
                ("type", .string("ByteLevel")), ("add_prefix_space", .bool(prefixSpace)),
                ("trim_offsets", .bool(true)), ("use_regex", .bool(regex)),
            ])
        }
        var rest = steps
        var last: JSONValue
        if rest.last == .pattern(.gpt2) {
            rest.removeLast()
            let prefix = rest.last == .prefixSpace
            if prefix { rest.removeLast() }
            last = byteLevel(prefixSpace: prefix, regex: true)
        } else {
            let prefix = rest.last == .prefixSpace
            if prefix { rest.removeLast() }
            last = byteLevel(prefixSpace: prefix, regex: false)
        }
        if rest.isEmpty { return last }
        let parts: [JSONValue] = rest.map { step in
            switch step {
            case .digits(let individual):
                return .object([("type", .string("Digits")), ("individual_digits", .bool(individual))])
            case .pattern(let pattern):
                return .object([
                    ("type", .string("Split")), ("pattern", .object([("Regex", .string(pattern.regex))])),
                    ("behavior", .string("Isolated")), ("invert", .bool(false)),
                ])
            case .prefixSpace:
                // Only produced by ByteLevel, which is last; kept as a ByteLevel without regex if ever seen here.
                return byteLevel(prefixSpace: true, regex: false)
            }
        }
        return .object([("type", .string("Sequence")), ("pretokenizers", .array(parts + [last]))])
    }

    private func postProcessorJSON() -> JSONValue {
        let post = core.postProcessor
        if post.prefix.isEmpty && post.suffix.isEmpty {
            return .object([
                ("type", .string("ByteLevel")), ("add_prefix_space", .bool(true)),
                ("trim_offsets", .bool(false)), ("use_regex", .bool(true)),
            ])
        }
        func item(_ id: Int) -> JSONValue {
            .object([("SpecialToken", .object([("id", .string(token(forID: id) ?? "")), ("type_id", .int(0))]))])
        }
        func sequence(_ name: String, _ type: Int) -> JSONValue {
            .object([("Sequence", .object([("id", .string(name)), ("type_id", .int(type))]))])
        }
        let single = post.prefix.map(item) + [sequence("A", 0)] + post.suffix.map(item)
        let second = post.prefix.map(item) + [sequence("B", 1)] + post.suffix.map(item)
        let specials = Set(post.prefix + post.suffix).sorted().map { id -> (key: String, value: JSONValue) in
            let name = token(forID: id) ?? ""
            return (
                name,
                .object([("id", .string(name)), ("ids", .array([.int(id)])), ("tokens", .array([.string(name)]))])
            )
        }
        return .object([
            ("type", .string("TemplateProcessing")), ("single", .array(single)),
            ("pair", .array(single + second)), ("special_tokens", .object(JSONObject(specials))),
        ])
    }
}
