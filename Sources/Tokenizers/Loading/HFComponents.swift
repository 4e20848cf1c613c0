import JSONSupport

/// Decoding the parts of a Hugging Face tokenizer description (shared by tokenizer.json and vocab.json loading).
/// Problems are thrown as `Failure` with the JSON field named; the caller adds the file.
enum HFComponents {
    struct Failure: Error {
        let problem: String
        init(_ problem: String) { self.problem = problem }
    }

    /// Ids above this are treated as corruption (real vocabularies are below a million).
    static let maximumID = 1 << 24

    /// `{"token": id, …}` as strings by id.
    static func vocabulary(_ value: JSONValue?, field: String) throws -> [String?] {
        guard let members = value?.object else { throw Failure("\(field) must be an object of token → id") }
        var maxID = -1
        for (token, id) in members {
            guard let id = id.int, id >= 0, id < maximumID else {
                throw Failure(
                    "\(field): token \(JSONWriter.quoted(token)) has id \(JSONWriter.string(id)), not an id in 0..<\(maximumID)"
                )
            }
            maxID = max(maxID, id)
        }
        var tokens = [String?](repeating: nil, count: maxID + 1)
        for (token, id) in members {
            let i = id.int!
            if let other = tokens[i] {
                throw Failure(
                    "\(field): id \(i) is given to both \(JSONWriter.quoted(other)) and \(JSONWriter.quoted(token))")
            }
            tokens[i] = token
        }
        return tokens
    }

    /// Merges as `["a b", …]` or `[["a", "b"], …]`.
    static func merges(_ value: JSONValue?, field: String) throws -> [(String, String)] {
        guard let elements = value?.array else { throw Failure("\(field) must be an array") }
        var merges: [(String, String)] = []
        merges.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            switch element {
            case .string(let s):
                let parts = s.split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2 else {
                    throw Failure("\(field)[\(index)] \(JSONWriter.quoted(s)) is not two tokens separated by one space")
                }
                merges.append((String(parts[0]), String(parts[1])))
            case .array(let pair):
                guard pair.count == 2, let a = pair[0].string, let b = pair[1].string else {
                    throw Failure("\(field)[\(index)] must be a pair of strings")
                }
                merges.append((a, b))
            default:
                throw Failure(
                    "\(field)[\(index)] must be \"left right\" or [left, right], found \(element.typeDescription)")
            }
        }
        return merges
    }

    struct BPEOptions {
        var ignoreMerges = false
        var unknownToken: String?
        var fuseUnknown = false
        var byteFallback = false
    }

    static func bpeOptions(_ model: JSONValue) throws -> BPEOptions {
        if let dropout = model["dropout"], !dropout.isNull {
            if dropout.number != 0 {
                throw Failure("model.dropout \(JSONWriter.string(dropout)) is not supported (encoding would be random)")
            }
        }
        for field in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = model[field], !value.isNull, value.string != "" {
                throw Failure("model.\(field) \(JSONWriter.string(value)) is not supported by byte-level BPE")
            }
        }
        var options = BPEOptions()
        options.ignoreMerges = model["ignore_merges"]?.bool ?? false
        options.unknownToken = model["unk_token"]?.string
        options.fuseUnknown = model["fuse_unk"]?.bool ?? false
        options.byteFallback = model["byte_fallback"]?.bool ?? false
        return options
    }

    static func addedTokens(_ value: JSONValue?) throws -> [AddedToken] {
        guard let value, !value.isNull else { return [] }
        guard let elements = value.array else { throw Failure("added_tokens must be an array") }
        return try elements.enumerated().map { index, element in
            guard let content = element["content"]?.string, let id = element["id"]?.int, id >= 0, id < maximumID else {
                throw Failure("added_tokens[\(index)] needs a string \"content\" and an integer \"id\"")
            }
            return AddedToken(
                content: content, id: id, special: element["special"]?.bool ?? false,
                singleWord: element["single_word"]?.bool ?? false,
                leftStrip: element["lstrip"]?.bool ?? false, rightStrip: element["rstrip"]?.bool ?? false,
                normalized: element["normalized"]?.bool ?? !(element["special"]?.bool ?? false))
        }
    }

    static func normalizer(_ value: JSONValue?) throws -> Normalizer {
        guard let value, !value.isNull else { return .none }
        switch value["type"]?.string {
        case "NFC": return .nfc
        case "Sequence":
            let parts = try (value["normalizers"]?.array ?? []).map { try normalizer($0) }.filter { $0 != .none }
            if parts.isEmpty { return .none }
            if parts.count == 1 { return parts[0] }
            throw Failure("normalizer: only a single NFC step is supported in a Sequence")
        case let type:
            throw Failure(
                "unsupported normalizer \(type.map { "\"\($0)\"" } ?? "without a type") (byte-level BPE supports none or NFC)"
            )
        }
    }

    static func preTokenizer(_ value: JSONValue?) throws -> PreTokenizer {
        guard let value, !value.isNull else {
            throw Failure("pre_tokenizer is null: not a byte-level BPE tokenizer (ByteLevel is required)")
        }
        var steps: [PreTokenizerStep] = []
        var byteLevelCount = 0
        var endsWithByteLevel = false
        func add(_ node: JSONValue, path: String) throws {
            endsWithByteLevel = false
            switch node["type"]?.string {
            case "Sequence":
                guard let items = node["pretokenizers"]?.array else {
                    throw Failure("\(path).pretokenizers must be an array")
                }
                for (i, item) in items.enumerated() { try add(item, path: "\(path).pretokenizers[\(i)]") }
            case "ByteLevel":
                byteLevelCount += 1
                if node["add_prefix_space"]?.bool == true { steps.append(.prefixSpace) }
                if node["use_regex"]?.bool ?? true { steps.append(.pattern(.gpt2)) }
                endsWithByteLevel = true
            case "Split":
                let regex = node["pattern"]?["Regex"]?.string
                guard let regex else {
                    throw Failure("\(path): only Split with a \"Regex\" pattern is supported")
                }
                guard let pattern = SplitPattern(regex: regex) else {
                    throw Failure(
                        "\(path): unsupported Split regex \(JSONWriter.quoted(regex)) (GPT-2, Llama-3 and Qwen2 patterns are supported)"
                    )
                }
                guard node["behavior"]?.string ?? "Isolated" == "Isolated", node["invert"]?.bool != true else {
                    throw Failure("\(path): only Split with behavior \"Isolated\" and invert false is supported")
                }
                steps.append(.pattern(pattern))
            case "Digits":
                steps.append(.digits(individual: node["individual_digits"]?.bool ?? false))
            case let type:
                throw Failure("\(path): unsupported pre-tokenizer \(type.map { "\"\($0)\"" } ?? "without a type")")
            }
        }
        try add(value, path: "pre_tokenizer")
        guard byteLevelCount == 1, endsWithByteLevel else {
            throw Failure("pre_tokenizer must end with one ByteLevel step (this is not a byte-level BPE tokenizer)")
        }
        return PreTokenizer(steps: steps)
    }

    /// The special tokens `addSpecialTokens` adds: TemplateProcessing's single template, RoBERTa/BERT's cls and sep.
    static func postProcessor(_ value: JSONValue?, idOf: (String) -> Int?) throws -> PostProcessor {
        guard let value, !value.isNull else { return PostProcessor() }
        switch value["type"]?.string {
        case "ByteLevel":
            return PostProcessor()
        case "Sequence":
            var result = PostProcessor()
            for item in value["processors"]?.array ?? [] {
                let p = try postProcessor(item, idOf: idOf)
                result.prefix += p.prefix
                result.suffix = p.suffix + result.suffix
            }
            return result
        case "TemplateProcessing":
            guard let single = value["single"]?.array else { throw Failure("post_processor.single must be an array") }
            var result = PostProcessor()
            var seenSequence = false
            for item in single {
                if item["Sequence"] != nil {
                    seenSequence = true
                } else if let token = item["SpecialToken"]?["id"]?.string {
                    let ids =
                        value["special_tokens"]?[token]?["ids"]?.array?.compactMap(\.int) ?? idOf(token).map { [$0] }
                    guard let ids else {
                        throw Failure("post_processor: special token \(JSONWriter.quoted(token)) has no id")
                    }
                    if seenSequence { result.suffix += ids } else { result.prefix += ids }
                }
            }
            return result
        case "RobertaProcessing", "BertProcessing":
            guard let cls = value["cls"]?.array?.last?.int, let sep = value["sep"]?.array?.last?.int else {
                throw Failure("post_processor: cls and sep must be [token, id] pairs")
            }
            return PostProcessor(prefix: [cls], suffix: [sep])
        case let type:
            throw Failure("unsupported post_processor \(type.map { "\"\($0)\"" } ?? "without a type")")
        }
    }

    /// Byte-level BPE decodes with HF's ByteLevel decoder (a missing decoder is treated the same way).
    static func checkDecoder(_ value: JSONValue?) throws {
        guard let value, !value.isNull else { return }
        switch value["type"]?.string {
        case "ByteLevel": return
        case "Sequence":
            for item in value["decoders"]?.array ?? [] { try checkDecoder(item) }
        case let type:
            throw Failure(
                "unsupported decoder \(type.map { "\"\($0)\"" } ?? "without a type") (byte-level BPE needs ByteLevel)")
        }
    }

    /// Fills roles the files leave open from the post-processor and the usual token names: GPT-2's `<|endoftext|>`
    /// (BOS and EOS), Llama-3's `<|begin_of_text|>`/`<|end_of_text|>`.
    static func fillConventionalSpecialTokens(
        _ special: inout SpecialTokens, postProcessor: PostProcessor,
        idOf: (String) -> Int?
    ) {
        if special.bos == nil {
            special.bos = postProcessor.prefix.first ?? idOf("<|begin_of_text|>") ?? idOf("<|endoftext|>")
        }
        if special.eos == nil {
            special.eos = postProcessor.suffix.last ?? idOf("<|end_of_text|>") ?? idOf("<|endoftext|>")
        }
    }
}
