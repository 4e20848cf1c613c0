import TensorEngine

extension RewardModel {
    /// The score of each token sequence, `batchSize` per forward pass, without gradients. Sequences are batched in
    /// order of length so that little padding is computed; the scores come back in input order.
    public func scores(of sequences: [[Int]], batchSize: Int, padId: Int) -> [Float] {
        let order = sequences.indices.sorted { sequences[$0].count < sequences[$1].count }
        var result = [Float](repeating: 0, count: sequences.count)
        withNoGrad {
            for start in stride(from: 0, to: order.count, by: max(1, batchSize)) {
                let rows = Array(order[start..<min(start + max(1, batchSize), order.count)])
                let batch = SequenceBatch(rows.map { sequences[$0] }, padId: padId)
                for (row, score) in zip(rows, scores(batch.ids, attentionMask: batch.attentionMask).scalars) {
                    result[row] = score
                }
            }
        }
        return result
    }
}
