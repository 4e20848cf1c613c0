import LanguageModels
import TensorEngine

/// PPO's critic scored by its own update: in the one-minibatch step its forward gives the old values, so the critic
/// needs no scoring pass of its own.
extension PPOTrainer {
    /// Whether the critic's part of the iteration's one update runs before the batch is assembled and its forward
    /// gives the old values (`criticFirstUpdate`): one process, one epoch, one minibatch, no rescore asked for
    /// (`rescoreRollouts` keeps the separate scoring passes).
    func firstUpdateScoresTheCritic(_ parallel: RolloutParallel) -> Bool {
        Self.firstUpdateScoresTheCritic(config, oneProcess: parallel.size == 1 && tensorParallel == nil)
    }

    static func firstUpdateScoresTheCritic(_ config: PPOConfig, oneProcess: Bool) -> Bool {
        oneProcess && !config.rescoreRollouts && config.ppoEpochs == 1
            && config.minibatchSize >= config.promptsPerIteration
    }

    /// The critic's share of the on-policy update (`firstUpdateScoresTheCritic`), run before the batch is assembled:
    /// its forward over each piece of the batch gives the rows' values — the old values, which in this step are the
    /// update's own — and, with the shaped rewards, the returns its value loss regresses to; the pieces' gradients add
    /// up for the step `update` takes. Saves the separate scoring pass of the critic. While the actor's tape is alive
    /// the pieces are an eighth of the batch (or `microBatchSize`), so that the two tapes together stay near one.
    /// Returns the rows with their values, and the value loss's statistics.
    func criticFirstUpdate(
        _ rows: [ScoredResponse], batch: ResponseBatch, promptIndices: [Int], state: PolicyCheckpoint.State,
        optimizer: AdamW, gradients: GradientBuffer?, actorTapeAlive: Bool
    ) -> ([ScoredResponse], [String: Double]) {
        let rewards = PPOExperience.rewards(
            batch: batch, rows: rows, promptIndices: promptIndices, baselineScores: state.baselineScores,
            klCoefficient: state.klController.coefficient, config: config
        ).shaped
        if let gradients { gradients.attach() } else { optimizer.zeroGrad() }
        let size = config.microBatchSize > 0 ? config.microBatchSize : actorTapeAlive ? (batch.count + 7) / 8 : 0
        let pieces = Self.microBatches(
            Array(0..<batch.count), share: 1, size: size, tokens: { batch.responses[$0].count })
        var valued = rows
        var statistics: [String: Double] = ["value_loss": 0, "value_clip_fraction": 0]
        for (piece, share) in pieces {
            let part = batch.selecting(piece)
            let values = critic.values(part)
            let (old, returns) = withNoGrad { () -> (Tensor, Tensor) in
                let old = values.detached()
                let gae = generalizedAdvantageEstimate(
                    rewards: rewards.indexSelect(axis: 0, piece), values: old, mask: part.responseMask,
                    gamma: config.gamma, lambda: config.lambda)
                return (old, gae.returns)
            }
            let value = ppoValueLoss(
                values: values, oldValues: old, returns: returns, mask: part.responseMask,
                clipRange: config.valueClipRange)
            (value.loss * Float(share)).backward()
            statistics["value_loss", default: 0] += Double(value.loss.item()) * share
            statistics["value_clip_fraction", default: 0] += Double(value.clipFraction) * share
            for (i, perToken) in RolloutScores.perToken(old, batch: part).enumerated() {
                valued[piece[i]].values = perToken
            }
        }
        return (valued, statistics)
    }
}
