import TensorEngine

/// The decoder-only transformer families we run (DESIGN.md, "Models we must run"), with what tells them apart.
public enum ModelFamily: String, Sendable, CaseIterable {
    /// Learned positions, LayerNorm, GELU (tanh), fused `c_attn` stored as Conv1D [in, out], tied embeddings.
    case gpt2
    /// RoPE (rotate-half), RMSNorm, SwiGLU, grouped-query attention, optional tied embeddings.
    case llama
    /// Llama with bias on the q/k/v projections.
    case qwen2
    /// Llama with per-head RMSNorm on queries and keys, and a head width of its own.
    case qwen3
    /// GLM-4: partial interleaved rotary, fused `gate_up_proj`, extra post-attention and post-MLP norms.
    case glm4

    /// transformers' model class, written into a saved `config.json`.
    var huggingFaceArchitecture: String {
        switch self {
        case .gpt2: "GPT2LMHeadModel"
        case .llama: "LlamaForCausalLM"
        case .qwen2: "Qwen2ForCausalLM"
        case .qwen3: "Qwen3ForCausalLM"
        case .glm4: "Glm4ForCausalLM"
        }
    }

    /// `general.architecture` of the family's GGUF files, for the families we read from GGUF.
    var ggufArchitecture: String? {
        switch self {
        case .llama, .qwen2, .qwen3: rawValue
        case .gpt2, .glm4: nil
        }
    }

    /// Whether llama.cpp's converter reorders the q/k rows of each head (for its pairwise RoPE), so reading undoes it.
    var ggufPermutesRotaryRows: Bool { self == .llama }

    /// How queries and keys are rotated.
    var ropeStyle: RoPEStyle { self == .glm4 ? .interleaved : .rotateHalf }

    /// Whether the q/k/v projections have a bias unless the config says otherwise.
    var defaultAttentionBias: Bool { self == .qwen2 || self == .glm4 }

    /// The MLP's shape.
    var feedForward: FeedForward {
        switch self {
        case .gpt2: .gelu
        case .glm4: .fusedSwiGLU
        case .llama, .qwen2, .qwen3: .swiGLU
        }
    }

    /// The MLP shapes the families use.
    enum FeedForward {
        /// GELU (tanh) between two projections.
        case gelu
        /// SiLU(gate) · up, separate projections.
        case swiGLU
        /// SwiGLU with one [gate | up] matrix.
        case fusedSwiGLU
    }

    /// Whether queries and keys are RMS-normalised per head before rotation.
    var normalizesQueriesAndKeys: Bool { self == .qwen3 }
}
