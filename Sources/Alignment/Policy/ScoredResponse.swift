import LanguageModels
import TensorEngine

/// One rollout row after scoring: the response and everything PPO and GRPO know about it before the batch-wide
/// arithmetic (per-token rewards, advantages and their whitening, the metrics). Data-parallel ranks score their own
/// rows and exchange these (`RolloutParallel.gather`), so that every rank holds the whole iteration's batch.
struct ScoredResponse: Equatable {
    /// The response's token ids.
    var response: [Int]
    /// Whether it ended with an EOS or stop token (false: cut at the length limit).
    var finished: Bool
    /// The reward's score, before any penalty or baseline.
    var score: Float
    /// Per response token: the actor's log-probability (the sampler's, or rescored).
    var logProbs: [Float]
    /// Per response token: the entropy of the actor's tempered distribution.
    var entropies: [Float]
    /// Per response token: the reference's log-probability.
    var referenceLogProbs: [Float]
    /// Per response token: the critic's value (empty without a critic).
    var values: [Float]
    /// When rescored: Σ |rescored − sampler log-probability| over the tokens.
    var samplerGapSum: Double?
}

extension ScoredResponse {
    /// The rows of `batch`, whose responses `rollout` generated: `scores` are the rollout's log-probabilities and
    /// entropies, `values` the critic's [B, T − 1] (nil without one), `rewards` the reward's scores.
    static func rows(
        batch: ResponseBatch, rollout: GenerationResult, scores: RolloutScores, values: Tensor?, rewards: [Float]
    ) -> [ScoredResponse] {
        let logProbs = RolloutScores.perToken(scores.logProbs, batch: batch)
        let reference = RolloutScores.perToken(scores.referenceLogProbs, batch: batch)
        let critic = values.map { RolloutScores.perToken($0, batch: batch) }
        return batch.responses.indices.map { row in
            ScoredResponse(
                response: batch.responses[row], finished: rollout.finished[row], score: rewards[row],
                logProbs: logProbs[row], entropies: scores.entropies[row], referenceLogProbs: reference[row],
                values: critic?[row] ?? [], samplerGapSum: scores.samplerGapSums?[row])
        }
    }

    /// `rows` (all of `batch`'s) with the actor's log-probabilities and entropies from `forward`, a pass of the actor
    /// over `batch` (`nextTokenLogProbs`: the on-policy step's), in place of the sampler's, whose gap to them is kept.
    static func scored(
        _ rows: [ScoredResponse], by forward: (logProbs: Tensor, logits: Tensor), batch: ResponseBatch
    ) -> [ScoredResponse] {
        let logProbs = withNoGrad { forward.logProbs.detached() }
        let gaps = RolloutScores.absoluteGapSums(logProbs, rows.map(\.logProbs), batch: batch)
        let (perToken, entropies) = (
            RolloutScores.perToken(logProbs, batch: batch), RolloutScores.entropies(forward.logits, batch: batch)
        )
        return rows.indices.map { i in
            var row = rows[i]
            (row.logProbs, row.entropies, row.samplerGapSum) = (perToken[i], entropies[i], gaps[i])
            return row
        }
    }

    /// `rows` as bytes, for `Communicator.allGather`: per row a header of 5 words (token count, flags, score, gap as
    /// two words), then the tokens and the per-token floats, every word 32 bits.
    static func encode(_ rows: [ScoredResponse]) -> [UInt8] {
        var words: [UInt32] = []
        for row in rows {
            let flags: UInt32 =
                (row.finished ? 1 : 0) | (row.values.isEmpty ? 0 : 2) | (row.samplerGapSum == nil ? 0 : 4)
            let gap = (row.samplerGapSum ?? 0).bitPattern
            words += [
                UInt32(row.response.count), flags, row.score.bitPattern, UInt32(gap >> 32), UInt32(gap & 0xFFFF_FFFF),
            ]
            words += row.response.map { UInt32($0) }
            for floats in [row.logProbs, row.entropies, row.referenceLogProbs, row.values] {
                words += floats.map(\.bitPattern)
            }
        }
        return words.withUnsafeBytes { Array($0) }
    }

    /// The rows `encode` wrote.
    static func decode(_ bytes: [UInt8]) -> [ScoredResponse] {
        precondition(bytes.count % 4 == 0, "scored rows: \(bytes.count) bytes is not whole words")
        let words = bytes.withUnsafeBytes { raw in
            (0..<bytes.count / 4).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self) }
        }
        var rows: [ScoredResponse] = []
        var i = 0
        func take(_ n: Int) -> ArraySlice<UInt32> {
            precondition(i + n <= words.count, "scored rows: truncated at word \(i)")
            defer { i += n }
            return words[i..<i + n]
        }
        while i < words.count {
            let header = Array(take(5))
            let count = Int(header[0]), flags = header[1]
            let response = take(count).map { Int($0) }
            func floats(_ n: Int) -> [Float] { take(n).map { Float(bitPattern: $0) } }
            rows.append(
                ScoredResponse(
                    response: response, finished: flags & 1 != 0, score: Float(bitPattern: header[2]),
                    logProbs: floats(count), entropies: floats(count), referenceLogProbs: floats(count),
                    values: floats(flags & 2 != 0 ? count : 0),
                    samplerGapSum: flags & 4 != 0
                        ? Double(bitPattern: UInt64(header[3]) << 32 | UInt64(header[4])) : nil))
        }
        return rows
    }
}
