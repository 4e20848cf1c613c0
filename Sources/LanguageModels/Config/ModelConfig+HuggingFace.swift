import Foundation

extension ModelConfig {
    /// The `config.json` transformers needs to load this architecture (float32 weights).
    public func huggingFaceJSON() -> [String: Any] {
        var json: [String: Any] = [
            "model_type": family.rawValue, "vocab_size": vocabSize, "dtype": "float32",
            "tie_word_embeddings": tieWordEmbeddings,
        ]
        // Written even when absent (as null): transformers otherwise fills in its own family defaults, which may lie
        // outside a small vocabulary.
        json["bos_token_id"] = bosTokenId ?? NSNull()
        json["eos_token_id"] =
            eosTokenIds.isEmpty ? NSNull() : eosTokenIds.count == 1 ? eosTokenIds[0] as Any : eosTokenIds as Any
        json["pad_token_id"] = padTokenId ?? NSNull()
        switch family {
        case .gpt2:
            json.merge([
                "architectures": [family.huggingFaceArchitecture], "n_embd": hiddenSize, "n_layer": layerCount,
                "n_head": headCount,
                "n_inner": intermediateSize, "n_positions": maxPositions, "layer_norm_epsilon": Double(normEpsilon),
                "activation_function": "gelu_new",
            ]) { $1 }
        case .llama, .qwen2, .qwen3, .glm4:
            var rope: [String: Any] = ["rope_type": "default", "rope_theta": Double(ropeTheta)]
            if partialRotaryFactor != 1 { rope["partial_rotary_factor"] = Double(partialRotaryFactor) }
            json.merge([
                "architectures": [family.huggingFaceArchitecture], "hidden_size": hiddenSize,
                "num_hidden_layers": layerCount,
                "num_attention_heads": headCount, "num_key_value_heads": kvHeadCount, "head_dim": headDim,
                "intermediate_size": intermediateSize, "max_position_embeddings": maxPositions,
                "rms_norm_eps": Double(normEpsilon), "hidden_act": "silu", "rope_parameters": rope,
                "rope_theta": Double(ropeTheta), "partial_rotary_factor": Double(partialRotaryFactor),
                "attention_bias": attentionBias, "mlp_bias": mlpBias,
            ]) { $1 }
        }
        return json
    }
}
