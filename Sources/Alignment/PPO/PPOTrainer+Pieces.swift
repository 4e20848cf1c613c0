import TensorEngine

/// How an iteration's update is cut: whether its one step is on-policy, and a minibatch's micro-batches.
extension PPOTrainer {
    /// Whether the iteration's one update is on-policy and scores the actor itself (`OnPolicyStep`): one epoch, one
    /// minibatch, one piece of it.
    func firstUpdateScoresTheActor(_ parallel: RolloutParallel) -> Bool {
        Self.firstUpdateScoresTheActor(
            config, actorNeedsRescoring: RolloutScores.roundsActivations(actor),
            oneProcess: parallel.size == 1 && tensorParallel == nil)
    }

    static func firstUpdateScoresTheActor(_ config: PPOConfig, actorNeedsRescoring: Bool, oneProcess: Bool) -> Bool {
        OnPolicyStep.scoresTheActor(
            actorNeedsRescoring: actorNeedsRescoring, oneProcess: oneProcess, rescoreAsked: config.rescoreRollouts,
            epochs: config.ppoEpochs, minibatchSize: config.minibatchSize, rows: config.promptsPerIteration,
            microBatchSize: config.microBatchSize)
    }

    /// This rank's rows of a minibatch in pieces of at most `size` rows (0: one piece), each with its share of the
    /// minibatch's response tokens (`share` split by tokens); pieces without response tokens are left out.
    static func microBatches(
        _ rows: [Int], share: Double, size: Int, tokens: (Int) -> Int
    ) -> [(rows: [Int], share: Double)] {
        let total = rows.reduce(0) { $0 + tokens($1) }
        guard share > 0, total > 0 else { return [] }
        guard size > 0, rows.count > size else { return [(rows, share)] }
        return stride(from: 0, to: rows.count, by: size).compactMap { start in
            let piece = Array(rows[start..<min(start + size, rows.count)])
            let count = piece.reduce(0) { $0 + tokens($1) }
            return count == 0 ? nil : (piece, share * Double(count) / Double(total))
        }
    }
}
