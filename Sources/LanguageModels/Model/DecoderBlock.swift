import TensorEngine

/// One decoder layer: pre-norm attention and MLP, each added to the residual stream. GPT-2 (LayerNorm, GELU),
/// Llama, Qwen2 and Qwen3 (RMSNorm, SwiGLU) share it; GLM-4 adds norms on the attention and MLP outputs.
public final class DecoderBlock: Module {
    /// Before the attention.
    public let inputNorm: Module & NormLayer
    public let attention: Attention
    /// GLM-4: on the attention's output.
    public let postSelfAttentionNorm: RMSNorm?
    /// Before the MLP.
    public let postAttentionNorm: Module & NormLayer
    public let mlp: MLP
    /// GLM-4: on the MLP's output.
    public let postMLPNorm: RMSNorm?

    /// Layer `index` of a model of `config` (with `parallelism`, this rank's shard of it, of the shard's config).
    init(index: Int, config c: ModelConfig, names n: WeightNames, parallelism: TensorParallelism? = nil) {
        inputNorm = makeNorm(n.inputNorm, config: c)
        attention = Attention(key: n.attention, layerIndex: index, config: c, names: n, parallelism: parallelism)
        postAttentionNorm = makeNorm(n.postAttentionNorm, config: c)
        mlp = MLP(key: n.mlp, config: c, names: n, parallelism: parallelism)
        if c.family == .glm4 {
            postSelfAttentionNorm = RMSNorm(key: n.postSelfAttentionNorm, width: c.hiddenSize, eps: c.normEpsilon)
            postMLPNorm = RMSNorm(key: n.postMLPNorm, width: c.hiddenSize, eps: c.normEpsilon)
        } else {
            postSelfAttentionNorm = nil; postMLPNorm = nil
        }
        super.init(key: WeightKey("\(index)", gguf: "\(index)"))
    }

    /// Applies the layer to the residual stream [B, T, D].
    func callAsFunction(_ x: Tensor, context: AttentionContext) -> Tensor {
        // Each norm's output is recomputed in the backward pass from `x`, which the norm's backward keeps anyway.
        var attended = recomputedInBackward({ [inputNorm] in inputNorm(x) }) { attention($0, context: context) }
        if let postSelfAttentionNorm { attended = postSelfAttentionNorm(attended) }
        let x1 = x + attended
        var out = recomputedInBackward({ [postAttentionNorm] in postAttentionNorm(x1) }, readBy: mlp.callAsFunction)
        if let postMLPNorm { out = postMLPNorm(out) }
        return x1 + out
    }
}
