/// The decoder-only transformer families we run (DESIGN.md, "Models we must run").
public enum ModelFamily: String, Sendable, CaseIterable {
    /// Learned positions, LayerNorm, GELU (tanh), fused `c_attn` stored as Conv1D [in, out], tied embeddings.
    case gpt2
    /// RoPE (rotate-half), RMSNorm, SwiGLU, grouped-query attention, optional tied embeddings.
    case llama
    /// Llama with bias on the q/k/v projections.
    case qwen2
    /// GLM-4: partial interleaved rotary, fused `gate_up_proj`, extra post-attention and post-MLP norms.
    case glm4
}
