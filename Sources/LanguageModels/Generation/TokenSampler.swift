import Foundation
import TensorEngine

/// Picks the next token from one row of logits: greedy, or temperature with optional top-k and top-p truncation.
struct TokenSampler {
    let config: GenerationConfig
    var generator: RandomGenerator
    /// One generator per sequence when the config gives `rowSeeds`.
    var rowGenerators: [RandomGenerator]?

    init(config: GenerationConfig) {
        self.config = config
        generator = RandomGenerator(seed: config.seed)
        rowGenerators = config.rowSeeds.map { $0.map { RandomGenerator(seed: $0) } }
    }

    /// Log-probabilities under the temperature-scaled model distribution for logits [rows, vocab], and (when
    /// sampling) the probabilities themselves: both in one vectorised pass each, for all rows of a decoding step.
    func distributions(_ logits: Tensor) -> (logProbs: Tensor, probs: Tensor?) {
        let t = config.temperature
        let logProbs = (t == 0 || t == 1 ? logits : logits / t).logSoftmax()
        return (logProbs, t == 0 ? nil : logProbs.exp())
    }

    /// −Σ p·log p of one row (nats), from its log-probabilities and, when the sampler has them, its probabilities.
    static func entropy(logProbs: UnsafeBufferPointer<Float>, probs: UnsafeBufferPointer<Float>?) -> Float {
        var total = 0.0
        if let probs {
            for i in 0..<logProbs.count { total += Double(probs[i] * logProbs[i]) }
        } else {
            for i in 0..<logProbs.count { total += Double(exp(logProbs[i]) * logProbs[i]) }
        }
        return Float(-total)
    }

    /// The chosen token and its log-probability under the temperature-scaled model distribution (before top-k/top-p
    /// truncation, which only restricts the choice), which is what policy-gradient methods need. `row` is the
    /// sequence's index in the batch (its generator, with `rowSeeds`).
    mutating func sample(
        row: Int, logits: UnsafeBufferPointer<Float>, logProbs: UnsafeBufferPointer<Float>,
        probs: UnsafeBufferPointer<Float>?
    ) -> (token: Int, logProb: Float) {
        let n = logits.count
        guard let probs else {
            var best = 0
            for i in 1..<n where logits[i] > logits[best] { best = i }
            return (best, logProbs[best])
        }
        var candidates: [Int]? = nil
        if config.topK > 0 || config.topP < 1 {
            // Sorted by logit, ties by index, so the order is deterministic.
            var sorted = Array(0..<n)
            sorted.sort { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
            if config.topK > 0 { sorted = Array(sorted.prefix(config.topK)) }
            if config.topP < 1 {
                var cumulative = 0.0
                var keep = 0
                for i in sorted {
                    cumulative += Double(probs[i])
                    keep += 1
                    if cumulative >= Double(config.topP) { break }
                }
                sorted = Array(sorted.prefix(max(keep, 1)))
            }
            candidates = sorted
        }
        // Inverse-CDF draw over the candidates in Double, so rounding cannot push the target past the last one.
        let draw = Double(rowGenerators != nil ? rowGenerators![row].nextUniform() : generator.nextUniform())
        if let candidates {
            let total = candidates.reduce(0.0) { $0 + Double(probs[$1]) }
            let target = draw * total
            var running = 0.0
            for i in candidates {
                running += Double(probs[i])
                if running > target { return (i, logProbs[i]) }
            }
            let last = candidates[candidates.count - 1]
            return (last, logProbs[last])
        }
        var total = 0.0
        for i in 0..<n { total += Double(probs[i]) }
        let target = draw * total
        var running = 0.0
        var last = 0
        for i in 0..<n where probs[i] > 0 {
            running += Double(probs[i])
            last = i
            if running > target { return (i, logProbs[i]) }
        }
        return (last, logProbs[last])
    }
}
