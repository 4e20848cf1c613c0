/// Learns a byte-level BPE vocabulary from text: start from the 256 bytes, repeatedly merge the most frequent
/// adjacent pair (ties: the pair of smaller ids, as HF's trainer breaks them) until the vocabulary is full.
/// Deterministic: the same corpus, configuration and seed give the same tokenizer.
public enum BPETrainer {
    /// Trains on `texts` and returns the tokenizer (save it with `Tokenizer.save(to:)`).
    /// Throws `TokenizerError` for impossible settings (a vocabulary too small for the specials and bytes).
    public static func train(_ texts: [String], configuration: BPETrainingConfiguration) throws -> Tokenizer {
        let specials = configuration.specialTokens
        let base = specials.count + 256
        guard configuration.vocabularySize >= base else {
            throw TokenizerError(
                path: "",
                problem:
                    "vocabulary size \(configuration.vocabularySize) is smaller than the \(specials.count) special tokens plus 256 bytes"
            )
        }
        guard Set(specials).count == specials.count, !specials.contains("") else {
            throw TokenizerError(path: "", problem: "special tokens must be distinct and non-empty")
        }
        guard configuration.minimumFrequency >= 1 else {
            throw TokenizerError(path: "", problem: "minimum frequency must be at least 1")
        }
        var counter = WordCounter(steps: configuration.preTokenization.steps, specialTokens: specials)
        for index in sampleOrder(texts, configuration) { counter.add(texts[index]) }

        var tokenBytes: [[UInt8]] = specials.map { _ in [] } + (0..<256).map { [UInt8($0)] }
        var idsByBytes: [[UInt8]: UInt32] = [:]
        for b in 0..<256 { idsByBytes[[UInt8(b)]] = UInt32(specials.count + b) }
        var state = PairStatistics(
            words: counter.words().map { word in
                (word.bytes.map { UInt32(specials.count) + UInt32($0) }, word.count)
            })
        var merges: [(UInt32, UInt32)] = []
        while tokenBytes.count < configuration.vocabularySize {
            guard let (pair, count) = state.popBest(), count >= configuration.minimumFrequency else { break }
            let bytes = tokenBytes[Int(pair.0)] + tokenBytes[Int(pair.1)]
            let merged: UInt32
            if let existing = idsByBytes[bytes] {
                merged = existing  // HF reuses the id when two merge paths spell the same bytes
            } else {
                merged = UInt32(tokenBytes.count)
                tokenBytes.append(bytes)
                idsByBytes[bytes] = merged
            }
            merges.append(pair)
            state.merge(pair, into: merged)
        }

        let tokens: [String?] = specials + tokenBytes[specials.count...].map { ByteLevelAlphabet.string(for: $0) }
        let mergeStrings = merges.map { (tokens[Int($0.0)]!, tokens[Int($0.1)]!) }
        let model = try BPEModel(tokens: tokens, merges: mergeStrings)
        let added = specials.enumerated().map { AddedToken(content: $1, id: $0, special: true) }
        var special = SpecialTokens()
        HFComponents.fillConventionalSpecialTokens(
            &special, postProcessor: PostProcessor(),
            idOf: { token in
                specials.firstIndex(of: token)
            })
        let core = TokenizerCore(
            model: model, addedTokens: added, normalizer: .none,
            preTokenizer: PreTokenizer(steps: configuration.preTokenization.steps),
            postProcessor: PostProcessor(), specialTokens: special, chatTemplate: nil)
        return Tokenizer(core: core, source: "")
    }

    /// Indices of the documents to train on: all, in order, or a seeded sample up to `sampleBytes`.
    private static func sampleOrder(_ texts: [String], _ configuration: BPETrainingConfiguration) -> [Int] {
        guard let budget = configuration.sampleBytes else { return Array(texts.indices) }
        var order = Array(texts.indices)
        var state = configuration.seed
        func next() -> UInt64 {  // SplitMix64: the same sample on every platform
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        if order.count > 1 {
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(next() % UInt64(i + 1))) }
        }
        var taken: [Int] = []
        var bytes = 0
        for index in order where bytes < budget {
            taken.append(index)
            bytes += texts[index].utf8.count
        }
        return taken
    }
}
