import TensorEngine

/// The new tokens of each sequence and their log-probabilities.
public struct GenerationResult: Sendable, Equatable {
    /// Generated ids per sequence (prompt excluded), ending with the EOS/stop token when one was produced.
    public var tokens: [[Int]]
    /// Log-probability of each generated token under the temperature-scaled model distribution.
    public var logProbs: [[Float]]
    /// Entropy of that distribution at each generated token (nats): PPO and GRPO take their "old" log-probabilities
    /// and entropy from the sampler instead of scoring the rollout again.
    public var entropies: [[Float]]
    /// Whether each sequence ended with an EOS or stop token (false: it reached the length limit).
    public var finished: [Bool]
}

extension TransformerLM {
    /// Generates continuations of `prompts` (token ids; different lengths are left-padded) with a KV cache and no
    /// autodiff tape.
    public func generate(prompts: [[Int]], config: GenerationConfig) -> GenerationResult {
        if let problem = config.problem { engineFailure("generate", problem) }
        if prompts.isEmpty { return GenerationResult(tokens: [], logProbs: [], entropies: [], finished: []) }
        if let empty = prompts.firstIndex(where: \.isEmpty) { engineFailure("generate", "prompt \(empty) is empty") }
        for p in prompts {
            for id in p where id < 0 || id >= self.config.vocabSize {
                engineFailure("generate", "token id \(id) outside the vocabulary of \(self.config.vocabSize)")
            }
        }
        let batch = prompts.count
        if let rowSeeds = config.rowSeeds, rowSeeds.count != batch {
            engineFailure("generate", "\(rowSeeds.count) row seeds for \(batch) prompts")
        }
        let promptLength = prompts.map(\.count).max()!
        let total = promptLength + config.maxNewTokens
        if self.config.family == .gpt2 && total > self.config.maxPositions {
            engineFailure(
                "generate",
                "\(promptLength) prompt + \(config.maxNewTokens) new tokens exceed the model's \(self.config.maxPositions) positions"
            )
        }
        let stops = Set((config.eosTokenIds ?? self.config.eosTokenIds) + config.stopTokenIds)
        // Padding is masked out, but its id still indexes the embedding: it must be in the vocabulary.
        let pad =
            [self.config.padTokenId, self.config.eosTokenIds.first].compactMap { $0 }
            .first { $0 >= 0 && $0 < self.config.vocabSize } ?? 0

        // Left padding: real tokens end at the same column, so every sequence's next token is read from the last one.
        var mask = [Float](repeating: 0, count: batch * total)
        var ids = [Int](repeating: pad, count: batch * promptLength)
        var nextPosition = [Int](repeating: 0, count: batch)
        var positions = [Int](repeating: 0, count: batch * promptLength)
        for (b, p) in prompts.enumerated() {
            let offset = promptLength - p.count
            for (j, id) in p.enumerated() {
                ids[b * promptLength + offset + j] = id
                mask[b * total + offset + j] = 1
                positions[b * promptLength + offset + j] = j
            }
            nextPosition[b] = p.count
        }

        var result = GenerationResult(
            tokens: Array(repeating: [], count: batch), logProbs: Array(repeating: [], count: batch),
            entropies: Array(repeating: [], count: batch), finished: Array(repeating: false, count: batch))
        var sampler = TokenSampler(config: config)
        func decode() -> GenerationResult {
            let cache = KVCache(config: self.config, batch: batch, capacity: max(total, 1))
            var input = IntTensor(shape: [batch, promptLength], scalars: ids)
            var inputPositions = IntTensor(shape: [batch, promptLength], scalars: positions)
            // The sequences still in the running batch, by their index in `prompts` (ascending).
            var active = Array(0..<batch)
            for step in 0..<config.maxNewTokens {
                let seen = cache.length + input.shape[1]
                let stepMask = Tensor(
                    shape: [active.count, seen],
                    scalars: active.flatMap { mask[($0 * total)..<($0 * total + seen)] })
                let hidden = hiddenStates(input, positions: inputPositions, attentionMask: stepMask, cache: cache)
                let last = hidden.slice(axis: 1, (hidden.shape[1] - 1)..<hidden.shape[1])
                let logits = self.logits(last)
                var next = [Int](repeating: pad, count: active.count)
                let (logProbs, probs) = sampler.distributions(logits)
                let v = self.config.vocabSize
                func pick(
                    _ l: UnsafeBufferPointer<Float>, _ lp: UnsafeBufferPointer<Float>, _ p: UnsafeBufferPointer<Float>?
                ) {
                    func row(_ x: UnsafeBufferPointer<Float>, _ b: Int) -> UnsafeBufferPointer<Float> {
                        UnsafeBufferPointer(rebasing: x[(b * v)..<((b + 1) * v)])
                    }
                    for (i, b) in active.enumerated() where !result.finished[b] {
                        let (token, logProb) = sampler.sample(
                            row: b, logits: row(l, i), logProbs: row(lp, i), probs: p.map { row($0, i) })
                        next[i] = token
                        result.tokens[b].append(token)
                        result.logProbs[b].append(logProb)
                        result.entropies[b].append(
                            TokenSampler.entropy(logProbs: row(lp, i), probs: p.map { row($0, i) }))
                        if stops.contains(token) { result.finished[b] = true }
                    }
                }
                logits.withUnsafeBufferPointer { l in
                    logProbs.withUnsafeBufferPointer { lp in
                        if let probs { probs.withUnsafeBufferPointer { pick(l, lp, $0) } } else { pick(l, lp, nil) }
                    }
                }
                if result.finished.allSatisfy({ $0 }) || step == config.maxNewTokens - 1 { break }
                for b in active { mask[b * total + promptLength + step] = 1 }
                // Finished sequences leave the batch: otherwise every one of them is computed (and discarded) until
                // the longest answer ends. Rows are independent, so the others' tokens do not change.
                let keep = active.indices.filter { !result.finished[active[$0]] }
                if keep.count < active.count {
                    cache.keepRows(keep)
                    next = keep.map { next[$0] }
                    active = keep.map { active[$0] }
                }
                input = IntTensor(shape: [active.count, 1], scalars: next)
                inputPositions = IntTensor(shape: [active.count, 1], scalars: active.map { nextPosition[$0] + step })
            }
            return result
        }
        let pack = batch <= DecodingPacks.maxRows && config.maxNewTokens > 1
        return withNoGrad {
            pack ? withDecodingPacks(decode) : decode()
        }
    }
}
