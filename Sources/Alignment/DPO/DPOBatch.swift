import LanguageModels
import TensorEngine

/// A micro-batch of pairs for one forward pass: rows 0..<n are prompt + chosen, rows n..<2n prompt + rejected, so
/// both sides share the padding and a single pass through the model.
public struct DPOBatch {
    /// The 2n sequences, chosen first, with the mask of their response tokens.
    public let sequences: ResponseBatch
    /// Pairs in the batch (n).
    public let pairCount: Int

    /// Collates `pairs`, padding with `padId`.
    public init(_ pairs: [DPOPair], padId: Int) {
        sequences = ResponseBatch(
            prompts: pairs.map(\.prompt) + pairs.map(\.prompt),
            responses: pairs.map(\.chosen) + pairs.map(\.rejected), padId: padId)
        pairCount = pairs.count
    }

    /// The policy's view of the batch: each response's log-probability log π(y|x) [n] for both sides
    /// (differentiable when gradients are on), and the token log-probabilities [2n, T − 1] they were summed from.
    public func logProbs(under model: TransformerLM) -> (chosen: Tensor, rejected: Tensor, tokens: Tensor) {
        let tokens = model.nextTokenLogProbs(sequences).logProbs
        let (chosen, rejected) = split(maskedSum(tokens, mask: sequences.responseMask, axis: -1))
        return (chosen, rejected, tokens)
    }

    /// The mean next-token loss of the chosen responses (the optional SFT term), from the token log-probabilities
    /// of `logProbs(under:)`: every chosen response token weighs the same.
    public func chosenNegativeLogLikelihood(tokens: Tensor) -> Tensor {
        let rows = 0..<pairCount
        return -maskedMean(tokens.slice(axis: 0, rows), mask: sequences.responseMask.slice(axis: 0, rows))
    }

    /// Splits per-sequence values [2n] into the chosen [n] and rejected [n] halves.
    public func split(_ values: Tensor) -> (chosen: Tensor, rejected: Tensor) {
        (values.slice(axis: 0, 0..<pairCount), values.slice(axis: 0, pairCount..<(2 * pairCount)))
    }
}
