import Foundation
import TensorEngine

/// Picks the next token from one row of logits: greedy, or temperature with optional top-k and top-p truncation.
struct TokenSampler {
    let config: GenerationConfig
    var generator: RandomGenerator

    init(config: GenerationConfig) {
        self.config = config
        generator = RandomGenerator(seed: config.seed)
    }

    /// The chosen token and its log-probability under the temperature-scaled model distribution (before top-k/top-p
    /// truncation, which only restricts the choice), which is what policy-gradient methods need.
    mutating func sample(_ logits: UnsafeBufferPointer<Float>) -> (token: Int, logProb: Float) {
        let n = logits.count
        let t = config.temperature == 0 ? 1 : config.temperature
        var maxLogit = -Float.infinity
        var argmax = 0
        for i in 0..<n where logits[i] > maxLogit { maxLogit = logits[i]; argmax = i }
        var sum = 0.0
        for i in 0..<n { sum += Foundation.exp(Double((logits[i] - maxLogit) / t)) }
        let logZ = Double(maxLogit / t) + Foundation.log(sum)
        func logProb(_ i: Int) -> Float { Float(Double(logits[i] / t) - logZ) }
        if config.temperature == 0 { return (argmax, logProb(argmax)) }

        // Candidates sorted by logit (ties by index, so the order is deterministic).
        var candidates = Array(0..<n)
        if config.topK > 0 || config.topP < 1 {
            candidates.sort { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
            if config.topK > 0 { candidates = Array(candidates.prefix(config.topK)) }
            if config.topP < 1 {
                var cumulative = 0.0
                var keep = 0
                for i in candidates {
                    cumulative += Foundation.exp(Double(logProb(i)))
                    keep += 1
                    if cumulative >= Double(config.topP) { break }
                }
                candidates = Array(candidates.prefix(max(keep, 1)))
            }
        }
        var total = 0.0
        for i in candidates { total += Foundation.exp(Double(logProb(i))) }
        let target = Double(generator.nextUniform()) * total
        var running = 0.0
        for i in candidates {
            running += Foundation.exp(Double(logProb(i)))
            if running > target { return (i, logProb(i)) }
        }
        let last = candidates[candidates.count - 1]
        return (last, logProb(last))
    }
}
