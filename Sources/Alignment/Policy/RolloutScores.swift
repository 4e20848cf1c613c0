import LanguageModels
import TensorEngine

/// The "old" quantities of a rollout that PPO and GRPO compute once, without a tape, all under the distribution that
/// sampled it — softmax(logits / temperature), as TRL scores — so that the ratio, the KL and the entropy describe the
/// policy that produced the responses and not the untempered model.
struct RolloutScores {
    /// [B, T − 1]: the actor's log-probability of every next token.
    let logProbs: Tensor
    /// [B, T − 1]: the reference's, at the same temperature (the KL compares two tempered policies, as TRL's does).
    let referenceLogProbs: Tensor
    /// Mean entropy of the actor's tempered next-token distributions over the response tokens.
    let entropy: Float
    /// Mean |log π_old − log π_sampler| over the response tokens, π_sampler being the generator's own log-probability
    /// of each token it drew: float rounding when scoring and sampling agree on the distribution.
    let samplerGap: Double

    /// Scores the responses of `batch`, which `rollout` generated at `temperature`.
    init(
        batch: ResponseBatch, rollout: GenerationResult, actor: TransformerLM, reference: TransformerLM,
        temperature: Float
    ) {
        let (actorLogProbs, logits) = withNoGrad { actor.nextTokenLogProbs(batch, temperature: temperature) }
        logProbs = actorLogProbs
        entropy = meanResponseEntropy(logits: logits)
        referenceLogProbs = withNoGrad { reference.nextTokenLogProbs(batch, temperature: temperature).logProbs }
        samplerGap = Self.meanAbsoluteGap(actorLogProbs, rollout.logProbs, batch: batch)
    }

    /// Mean |a − b| over the response tokens, `a` on the prediction positions of `batch`, `b` per response token.
    static func meanAbsoluteGap(_ logProbs: Tensor, _ sampler: [[Float]], batch: ResponseBatch) -> Double {
        let width = logProbs.shape[1], scored = logProbs.scalars
        var total = 0.0, count = 0
        for (row, tokens) in sampler.enumerated() {
            // Response token j of a row is predicted at position promptLength + j − 1 (see ResponseBatch).
            let first = row * width + batch.prompts[row].count - 1
            for (j, sampled) in tokens.enumerated() {
                total += Double(abs(scored[first + j] - sampled))
                count += 1
            }
        }
        return count == 0 ? 0 : total / Double(count)
    }
}
