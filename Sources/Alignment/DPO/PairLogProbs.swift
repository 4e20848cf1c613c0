import LanguageModels
import TensorEngine

/// The sequence log-probabilities log π(y|x) of both responses of every pair under one model, computed without a
/// tape: the frozen reference's, computed once before training, and the policy's on held-out pairs.
public struct PairLogProbs: Sendable, Equatable {
    /// log π(chosen | prompt), one per pair.
    public var chosen: [Float]
    /// log π(rejected | prompt), one per pair.
    public var rejected: [Float]

    /// Log-probabilities given directly.
    public init(chosen: [Float], rejected: [Float]) {
        precondition(chosen.count == rejected.count, "one chosen and one rejected value per pair")
        self.chosen = chosen
        self.rejected = rejected
    }

    /// Scores `pairs` under `model` in micro-batches of `batchSize` pairs, padding with `padId`.
    public init(of pairs: [DPOPair], under model: TransformerLM, batchSize: Int, padId: Int) {
        var chosen: [Float] = [], rejected: [Float] = []
        withNoGrad {
            for start in stride(from: 0, to: pairs.count, by: batchSize) {
                let batch = DPOBatch(Array(pairs[start..<min(start + batchSize, pairs.count)]), padId: padId)
                let logProbs = batch.logProbs(under: model)
                chosen += logProbs.chosen.scalars
                rejected += logProbs.rejected.scalars
            }
        }
        self.init(chosen: chosen, rejected: rejected)
    }

    /// The values of the pairs at `indices`, as [n] tensors (constants).
    public func tensors(_ indices: [Int]) -> (chosen: Tensor, rejected: Tensor) {
        (
            Tensor(shape: [indices.count], scalars: indices.map { chosen[$0] }),
            Tensor(shape: [indices.count], scalars: indices.map { rejected[$0] })
        )
    }
}
