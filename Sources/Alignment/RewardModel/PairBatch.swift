import TensorEngine

/// A micro-batch of pairs for one forward pass: rows 0..<n are the chosen conversations, rows n..<2n the rejected
/// ones, so both sides share the padding and a single pass through the backbone.
public struct PairBatch {
    /// The 2n sequences, chosen first.
    public let sequences: SequenceBatch
    /// Pairs in the batch (n).
    public let pairCount: Int
    /// [n] margins, or nil when every margin is 0 (plain Bradley–Terry).
    public let margins: Tensor?

    /// Collates `pairs`, padding with `padId`.
    public init(_ pairs: [TokenizedPair], padId: Int) {
        sequences = SequenceBatch(pairs.map(\.chosen) + pairs.map(\.rejected), padId: padId)
        pairCount = pairs.count
        margins = pairs.contains { $0.margin != 0 } ? Tensor(shape: [pairs.count], scalars: pairs.map(\.margin)) : nil
    }

    /// Splits scores [2n] of `sequences` into the chosen [n] and rejected [n] scores.
    public func split(_ scores: Tensor) -> (chosen: Tensor, rejected: Tensor) {
        (scores.slice(axis: 0, 0..<pairCount), scores.slice(axis: 0, pairCount..<(2 * pairCount)))
    }
}
