import LanguageModels
import TensorEngine

extension TransformerLM {
    /// Log-probability of every next token of `batch` [B, T − 1] under softmax(logits / `temperature`)
    /// (differentiable when gradients are on), and those scaled logits. Right padding needs no key mask: causal
    /// attention never lets a real token see the padding after it, and padded positions are masked out by
    /// `responseMask` downstream.
    ///
    /// PPO and GRPO pass their rollout temperature, so the ratio, the KL and the entropy describe the distribution
    /// that sampled the responses (as TRL does); DPO scores the model itself (temperature 1).
    public func nextTokenLogProbs(_ batch: ResponseBatch, temperature: Float = 1) -> (logProbs: Tensor, logits: Tensor)
    {
        precondition(temperature > 0 && temperature.isFinite, "temperature must be positive, got \(temperature)")
        let raw = self(batch.inputs)
        let logits = temperature == 1 ? raw : raw / temperature
        let (b, t) = (batch.inputs.shape[0], batch.inputs.shape[1])
        let flat = logits.reshaped([b * t, config.vocabSize])
        let logProbs = tokenLogProbs(flat, tokens: IntTensor(shape: [b * t], scalars: batch.targets.scalars))
        return (logProbs.reshaped([b, t]), logits)
    }
}

/// Mean entropy of the next-token distributions at the response positions (a PPO health metric).
public func meanResponseEntropy(logits: Tensor, responseMask: Tensor) -> Float {
    withNoGrad {
        let e = entropy(logits.detached())
        return maskedMean(e, mask: responseMask).item()
    }
}

/// KL(actor ‖ reference) per response: the sum of its tokens' log-ratios (k1), averaged over the rows.
public func meanResponseKL(logProbs: Tensor, referenceLogProbs: Tensor, responseMask: Tensor) -> Double {
    withNoGrad {
        let perRow = maskedSum(logProbs.detached() - referenceLogProbs.detached(), mask: responseMask, axis: 1)
        return Double(perRow.scalars.reduce(0, +)) / Double(max(perRow.count, 1))
    }
}
