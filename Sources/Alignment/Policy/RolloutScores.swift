import LanguageModels
import TensorEngine

/// The "old" quantities of a rollout that PPO and GRPO compute once, without a tape, all under the distribution that
/// sampled it — softmax(logits / temperature), as TRL scores — so that the ratio, the KL and the entropy describe the
/// policy that produced the responses and not the untempered model.
///
/// The actor's log-probabilities and entropy come from the sampler by default (TRL's way): the generator already
/// computed that distribution for every token it drew, so scoring the rollout again is a whole forward pass of the
/// actor repeated for float rounding. `rescore` runs that pass anyway and reports how far the two disagree.
///
/// An actor with bf16 weights is always rescored where products round activations to bf16
/// (`BFloat16Products.bfloat16Dot`). The trainers sample inside `BFloat16Products.withRoundedDecoding`, so decoding
/// rounds its rows as scoring does, with the same products bit for bit; but the two still run different attention
/// kernels, and through a deep model's bf16 roundings their last-bit differences grow to the size of the rounding
/// itself (~0.012 nats a token on SmolLM2's 30 layers, as with exact decoding; under 1e-4 on a 2-layer model). The
/// sampler's log-probabilities would then differ from the training forward's and bias the KL and the first ratios.
/// The sampler gap reports that difference.
struct RolloutScores {
    /// [B, T − 1]: the actor's log-probability of every next token (zero off the response positions).
    let logProbs: Tensor
    /// [B, T − 1]: the reference's, at the same temperature (the KL compares two tempered policies, as TRL's does).
    let referenceLogProbs: Tensor
    /// The entropy of the actor's tempered next-token distribution at each response token, per row.
    let entropies: [[Float]]
    /// When rescored: Σ |log π_old − log π_sampler| over each row's response tokens, π_sampler being the generator's
    /// own log-probability of each token it drew — float rounding when scoring and sampling agree on the distribution.
    let samplerGapSums: [Double]?

    /// Scores the responses of `batch`, which `rollout` generated at `temperature`. `actorScoredLater`: the trainer
    /// takes the actor's old log-probabilities from its first update's forward (PPO's on-policy step), so the sampler's
    /// stand here only until then and the actor is not rescored.
    init(
        batch: ResponseBatch, rollout: GenerationResult, actor: TransformerLM, reference: TransformerLM,
        temperature: Float, rescore: Bool, actorScoredLater: Bool = false
    ) {
        if !actorScoredLater && (rescore || Self.roundsActivations(actor)) {
            let (actorLogProbs, logits) = withNoGrad { actor.nextTokenLogProbs(batch, temperature: temperature) }
            logProbs = actorLogProbs
            entropies = Self.entropies(logits, batch: batch)
            samplerGapSums = Self.absoluteGapSums(actorLogProbs, rollout.logProbs, batch: batch)
        } else {
            logProbs = Self.placed(rollout.logProbs, batch: batch)
            entropies = rollout.entropies
            samplerGapSums = nil
        }
        referenceLogProbs = withNoGrad { reference.nextTokenLogProbs(batch, temperature: temperature).logProbs }
    }

    /// Whether scoring `actor` rounds activations that its sampler kept exact.
    static func roundsActivations(_ actor: TransformerLM) -> Bool {
        BFloat16Products.current == .bfloat16Dot && actor.holdsBFloat16Weights
    }

    /// Mean entropy over the response tokens.
    var entropy: Float { Float(Self.meanEntropy(entropies)) }

    /// When rescored: mean |log π_old − log π_sampler| over the response tokens.
    var samplerGap: Double? {
        samplerGapSums.map { sums in
            let tokens = entropies.reduce(0) { $0 + $1.count }
            return tokens == 0 ? 0 : sums.reduce(0, +) / Double(tokens)
        }
    }

    /// The entropy of each row's response tokens from `logits` [response tokens, vocab] (the response positions' in
    /// row-major order, as `nextTokenLogProbs` returns them).
    static func entropies(_ logits: Tensor, batch: ResponseBatch) -> [[Float]] {
        var perPosition = withNoGrad { TensorEngine.entropy(logits.detached()) }.scalars[...]
        return batch.responses.map { response in
            defer { perPosition = perPosition.dropFirst(response.count) }
            return Array(perPosition.prefix(response.count))
        }
    }

    /// Mean of per-token entropies over every row's tokens (0 for none).
    static func meanEntropy(_ entropies: [[Float]]) -> Double {
        let all = entropies.joined()
        return all.isEmpty ? 0 : all.reduce(0.0) { $0 + Double($1) } / Double(all.count)
    }

    /// The values of `tensor` [B, T − 1] at each row's response positions (the inverse of `placed`).
    static func perToken(_ tensor: Tensor, batch: ResponseBatch) -> [[Float]] {
        let width = batch.responseMask.shape[1], scalars = tensor.scalars
        return batch.responses.indices.map { row in
            let first = row * width + batch.prompts[row].count - 1
            return Array(scalars[first..<first + batch.responses[row].count])
        }
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

    /// Σ |a − b| over each row's response tokens, `a` on the prediction positions of `batch`, `b` per response token.
    static func absoluteGapSums(_ logProbs: Tensor, _ sampler: [[Float]], batch: ResponseBatch) -> [Double] {
        zip(perToken(logProbs, batch: batch), sampler).map { scored, sampled in
            zip(scored, sampled).reduce(0.0) { $0 + Double(abs($1.0 - $1.1)) }
        }
    }

    /// Mean |a − b| over the response tokens, `a` on the prediction positions of `batch`, `b` per response token.
    static func meanAbsoluteGap(_ logProbs: Tensor, _ sampler: [[Float]], batch: ResponseBatch) -> Double {
        batch.responseTokens == 0
            ? 0 : absoluteGapSums(logProbs, sampler, batch: batch).reduce(0, +) / Double(batch.responseTokens)
    }
}
