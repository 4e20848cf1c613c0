import TensorEngine

/// Token sequences right-padded into one [B, T] batch with the mask of their real tokens.
public struct SequenceBatch {
    /// [B, T] ids, padding after each sequence.
    public let ids: IntTensor
    /// [B, T]: 1 for real tokens, 0 for padding.
    public let attentionMask: Tensor
    /// Real tokens in the batch.
    public let realTokens: Int

    /// Pads `sequences` (each non-empty) with `padId` to the longest.
    public init(_ sequences: [[Int]], padId: Int) {
        precondition(!sequences.isEmpty && sequences.allSatisfy { !$0.isEmpty }, "a batch needs non-empty sequences")
        let t = sequences.map(\.count).max()!
        var ids = [Int](repeating: padId, count: sequences.count * t)
        var mask = [Float](repeating: 0, count: sequences.count * t)
        for (row, sequence) in sequences.enumerated() {
            for (i, id) in sequence.enumerated() {
                ids[row * t + i] = id
                mask[row * t + i] = 1
            }
        }
        self.ids = IntTensor(shape: [sequences.count, t], scalars: ids)
        attentionMask = Tensor(shape: [sequences.count, t], scalars: mask)
        realTokens = sequences.reduce(0) { $0 + $1.count }
    }
}
