import LanguageModels
import TensorEngine

/// The "old" quantities of a rollout that PPO and GRPO compute once, without a tape, all under the distribution that
/// sampled it — softmax(logits / temperature), as TRL scores — so that the ratio, the KL and the entropy describe the
/// policy that produced the responses and not the untempered model.
///
/// The actor's log-probabilities and entropy come from the sampler by default (TRL's way): the generator already
/// computed that distribution for every token it drew, so scoring the rollout again is a whole forward pass of the
/// actor repeated for float rounding. `rescore` runs that pass anyway and reports how far the two disagree.
struct RolloutScores {
    /// [B, T − 1]: the actor's log-probability of every next token (zero off the response positions).
    let logProbs: Tensor
    /// [B, T − 1]: the reference's, at the same temperature (the KL compares two tempered policies, as TRL's does).
    let referenceLogProbs: Tensor
    /// Mean entropy of the actor's tempered next-token distributions over the response tokens.
    let entropy: Float
    /// When rescored: mean |log π_old − log π_sampler| over the response tokens, π_sampler being the generator's own
    /// log-probability of each token it drew — float rounding when scoring and sampling agree on the distribution.
    let samplerGap: Double?

    /// Scores the responses of `batch`, which `rollout` generated at `temperature`.
    init(
        batch: ResponseBatch, rollout: GenerationResult, actor: TransformerLM, reference: TransformerLM,
        temperature: Float, rescore: Bool
    ) {
        if rescore {
            let (actorLogProbs, logits) = withNoGrad { actor.nextTokenLogProbs(batch, temperature: temperature) }
            logProbs = actorLogProbs
            entropy = meanResponseEntropy(logits: logits)
            samplerGap = Self.meanAbsoluteGap(actorLogProbs, rollout.logProbs, batch: batch)
        } else {
            logProbs = Self.placed(rollout.logProbs, batch: batch)
            let all = rollout.entropies.joined()
            entropy = all.isEmpty ? 0 : Float(all.reduce(0.0) { $0 + Double($1) } / Double(all.count))
            samplerGap = nil
        }
        referenceLogProbs = withNoGrad { reference.nextTokenLogProbs(batch, temperature: temperature).logProbs }
    }

    /// Per-response-token values moved onto the prediction positions of `batch` [B, T − 1], zero elsewhere.
    static func placed(_ perToken: [[Float]], batch: ResponseBatch) -> Tensor {
        let width = batch.responseMask.shape[1]
        var scalars = [Float](repeating: 0, count: batch.count * width)
        for (row, values) in perToken.enumerated() {
            precondition(values.count == batch.responses[row].count, "one sampler value per response token")
            // Response token j of a row is predicted at position promptLength + j − 1 (see ResponseBatch).
            let first = row * width + batch.prompts[row].count - 1
            for (j, value) in values.enumerated() { scalars[first + j] = value }
        }
        return Tensor(shape: [batch.count, width], scalars: scalars)
    }

    /// Mean |a − b| over the response tokens, `a` on the prediction positions of `batch`, `b` per response token.
    static func meanAbsoluteGap(_ logProbs: Tensor, _ sampler: [[Float]], batch: ResponseBatch) -> Double {
        let sampled = placed(sampler, batch: batch).scalars, mask = batch.responseMask.scalars
        var total = 0.0
        for (i, scored) in logProbs.scalars.enumerated() where mask[i] != 0 {
            total += Double(abs(scored - sampled[i]))
        }
        return batch.responseTokens == 0 ? 0 : total / Double(batch.responseTokens)
    }
}
