import LanguageModels
import TensorEngine

extension TransformerLM {
    /// Log-probability of every next token of `batch` [B, T − 1] under softmax(logits / `temperature`)
    /// (differentiable when gradients are on) — zero at positions that predict no response token — and the scaled
    /// logits at the response positions only [N, vocab], N = the batch's response tokens, row-major. Right padding
    /// needs no key mask: causal attention never lets a real token see the padding after it.
    ///
    /// Lean: the LM head runs on the N response positions alone, not on all B × (T − 1) (prompts are often longer
    /// than answers, and the head is the widest product of a small model: 49k × 576 in SmolLM2).
    ///
    /// PPO and GRPO pass their rollout temperature, so the ratio, the KL and the entropy describe the distribution
    /// that sampled the responses (as TRL does); DPO scores the model itself (temperature 1).
    public func nextTokenLogProbs(_ batch: ResponseBatch, temperature: Float = 1) -> (logProbs: Tensor, logits: Tensor)
    {
        precondition(temperature > 0 && temperature.isFinite, "temperature must be positive, got \(temperature)")
        let hidden = hiddenStates(batch.inputs)
        let (b, t) = (batch.inputs.shape[0], batch.inputs.shape[1])
        let mask = batch.responseMask.scalars
        let positions = mask.indices.filter { mask[$0] != 0 }
        let selected = hidden.reshaped([b * t, config.hiddenSize]).indexSelect(axis: 0, positions)
        let raw = logits(selected)
        let scaled = temperature == 1 ? raw : raw / temperature
        let targets = batch.targets.scalars
        let logProbs = tokenLogProbs(
            scaled, tokens: IntTensor(shape: [positions.count], scalars: positions.map { targets[$0] }))
        // Back to [B, T − 1]: position i takes its response token's value, the others the appended zero.
        var slot = [Int](repeating: positions.count, count: b * t)
        for (n, position) in positions.enumerated() { slot[position] = n }
        let padded = Tensor.concat([logProbs, Tensor.zeros([1])], axis: 0)
        return (padded.indexSelect(axis: 0, slot).reshaped([b, t]), scaled)
    }
}

/// Mean entropy of next-token distributions given by `logits` [N, vocab] (the response positions', as
/// `nextTokenLogProbs` returns them): a PPO health metric.
public func meanResponseEntropy(logits: Tensor) -> Float {
    withNoGrad {
        let e = entropy(logits.detached())
        return e.count == 0 ? 0 : e.scalars.reduce(0, +) / Float(e.count)
    }
}

/// KL(actor ‖ reference) per response: the sum of its tokens' log-ratios (k1), averaged over the rows.
public func meanResponseKL(logProbs: Tensor, referenceLogProbs: Tensor, responseMask: Tensor) -> Double {
    withNoGrad {
        let perRow = maskedSum(logProbs.detached() - referenceLogProbs.detached(), mask: responseMask, axis: 1)
        return Double(perRow.scalars.reduce(0, +)) / Double(max(perRow.count, 1))
    }
}
