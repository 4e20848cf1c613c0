import LanguageModels
import TensorEngine

/// One iteration's rollouts with everything the PPO updates need, all [B, T − 1] on the prediction positions of
/// `batch` unless stated (computed without a tape: they are the "old" quantities the ratios and clips refer to).
struct PPOExperience {
    let batch: ResponseBatch
    /// Which prompt (index into the trainer's prompts) each row answers.
    let promptIndices: [Int]
    let oldLogProbs: Tensor
    let referenceLogProbs: Tensor
    let oldValues: Tensor
    let advantages: Tensor
    let returns: Tensor
    /// [B]: the reward model's scores, and the same after the reference baseline and the missing-EOS penalty.
    let rawScores: [Float]
    let adjustedScores: [Float]
    /// Statistics of the rollout for the metrics line.
    let statistics: [String: Double]
}

extension PPOExperience {
    /// Scores rollout rows under the distribution that sampled them (logits / temperature): the actor's and the
    /// reference's log-probabilities, the entropy, the critic's values and the reward's scores. Under data parallelism
    /// each rank scores its own rows.
    static func score(
        batch: ResponseBatch, rollout: GenerationResult, actor: TransformerLM, reference: TransformerLM,
        critic: ValueModel, reward: any SequenceScorer, config: PPOConfig, actorScoredLater: Bool = false,
        criticScoredLater: Bool = false
    ) -> [ScoredResponse] {
        let scored = RolloutScores(
            batch: batch, rollout: rollout, actor: actor, reference: reference,
            temperature: config.sampling.temperature, rescore: config.rescoreRollouts,
            actorScoredLater: actorScoredLater)
        return withNoGrad {
            ScoredResponse.rows(
                batch: batch, rollout: rollout, scores: scored, values: criticScoredLater ? nil : critic.values(batch),
                rewards: reward.scores(prompts: batch.prompts, responses: batch.responses))
        }
    }

    /// The rows' rewards: the reward's scores (`raw`), after the missing-EOS penalty and the reference baseline
    /// (`adjusted`), and per token [B, T − 1] (`shaped`: the adjusted score at the last response token − β·KL).
    static func rewards(
        batch: ResponseBatch, rows: [ScoredResponse], promptIndices: [Int], baselineScores: [Float]?,
        klCoefficient: Float, config: PPOConfig
    ) -> (raw: [Float], adjusted: [Float], shaped: Tensor) {
        withNoGrad {
            let raw = rows.map(\.score)
            var adjusted = penalisingMissingEOS(
                scores: raw, finished: rows.map(\.finished), penalty: config.missingEOSPenalty)
            if let baselineScores {
                for row in 0..<batch.count { adjusted[row] -= baselineScores[promptIndices[row]] }
            }
            let shaped = shapedRewards(
                scores: Tensor(shape: [batch.count], scalars: adjusted),
                logProbs: RolloutScores.placed(rows.map(\.logProbs), batch: batch),
                referenceLogProbs: RolloutScores.placed(rows.map(\.referenceLogProbs), batch: batch),
                mask: batch.responseMask, klCoefficient: klCoefficient, estimator: config.klEstimator)
            return (raw, adjusted, shaped)
        }
    }

    /// The experience of a whole batch from its scored `rows`: shapes per-token rewards (score at the last response
    /// token − β·KL per token) and runs GAE. `baselineScores` are per prompt, already penalised like the rollouts'
    /// scores.
    static func assemble(
        batch: ResponseBatch, rows: [ScoredResponse], promptIndices: [Int], baselineScores: [Float]?,
        klCoefficient: Float, config: PPOConfig
    ) -> PPOExperience {
        withNoGrad {
            func placed(_ values: KeyPath<ScoredResponse, [Float]>) -> Tensor {
                RolloutScores.placed(rows.map { $0[keyPath: values] }, batch: batch)
            }
            let (old, referenceLogProbs, values) = (placed(\.logProbs), placed(\.referenceLogProbs), placed(\.values))
            let (raw, adjusted, rewards) = Self.rewards(
                batch: batch, rows: rows, promptIndices: promptIndices, baselineScores: baselineScores,
                klCoefficient: klCoefficient, config: config)
            let mask = batch.responseMask, finished = rows.map(\.finished)
            let gae = generalizedAdvantageEstimate(
                rewards: rewards, values: values, mask: mask,
                gamma: config.gamma, lambda: config.lambda)
            let advantages = config.whitenAdvantages ? maskedWhiten(gae.advantages, mask: mask) : gae.advantages
            let klPerResponse = meanResponseKL(logProbs: old, referenceLogProbs: referenceLogProbs, responseMask: mask)
            let (returnMean, returnVariance) = maskedMeanAndVariance(gae.returns, mask: mask)
            let residual = maskedMeanAndVariance(gae.returns - values, mask: mask).variance
            let lengths = batch.responses.map { Double($0.count) }
            var statistics: [String: Double] = [
                "reward": RewardStatistics.mean(raw.map(Double.init)) ?? 0,
                "reward_adjusted": RewardStatistics.mean(adjusted.map(Double.init)) ?? 0,
                "reward_std": RewardStatistics.standardDeviation(raw.map(Double.init)) ?? 0,
                "kl": klPerResponse,
                "entropy": RolloutScores.meanEntropy(rows.map(\.entropies)),
                "response_length": RewardStatistics.mean(lengths) ?? 0,
                "truncated_fraction": truncatedFraction(finished),
                "return_mean": Double(returnMean),
                "return_variance": Double(returnVariance),
                "explained_variance": returnVariance > 0 ? 1 - Double(residual / returnVariance) : 0,
            ]
            if let gap = samplerGap(rows) { statistics["sampler_logprob_gap"] = gap }
            return PPOExperience(
                batch: batch, promptIndices: promptIndices, oldLogProbs: old,
                referenceLogProbs: referenceLogProbs, oldValues: values, advantages: advantages,
                returns: gae.returns, rawScores: raw, adjustedScores: adjusted, statistics: statistics)
        }
    }

    /// When the rows were rescored: mean |rescored − sampler log-probability| over their response tokens.
    static func samplerGap(_ rows: [ScoredResponse]) -> Double? {
        guard rows.contains(where: { $0.samplerGapSum != nil }) else { return nil }
        let tokens = rows.reduce(0) { $0 + $1.response.count }
        return tokens == 0 ? 0 : rows.reduce(0.0) { $0 + ($1.samplerGapSum ?? 0) } / Double(tokens)
    }

    /// The rows `indices` of every per-row quantity.
    func selecting(_ indices: [Int]) -> PPOExperience {
        PPOExperience(
            batch: batch.selecting(indices), promptIndices: indices.map { promptIndices[$0] },
            oldLogProbs: oldLogProbs.indexSelect(axis: 0, indices),
            referenceLogProbs: referenceLogProbs.indexSelect(axis: 0, indices),
            oldValues: oldValues.indexSelect(axis: 0, indices), advantages: advantages.indexSelect(axis: 0, indices),
            returns: returns.indexSelect(axis: 0, indices), rawScores: indices.map { rawScores[$0] },
            adjustedScores: indices.map { adjustedScores[$0] }, statistics: statistics)
    }
}
