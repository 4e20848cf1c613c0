import TensorEngine

extension TransformerLM {
    /// A model with fresh weights, as transformers initialises them: normal(0, `std`) matrices and embeddings, zero
    /// biases, unit norm weights. Deterministic for a seed.
    public convenience init(config: ModelConfig, seed: UInt64, std: Float = 0.02) throws {
        var generator = RandomGenerator(seed: seed)
        let d = config.hiddenSize, i = config.intermediateSize, v = config.vocabSize
        let qd = config.headCount * config.headDim, kvd = config.kvHeadCount * config.headDim
        var shapes: [(String, [Int])] = []
        if config.family == .gpt2 {
            shapes = [("transformer.wte.weight", [v, d]), ("transformer.wpe.weight", [config.maxPositions, d]),
                      ("transformer.ln_f.weight", [d]), ("transformer.ln_f.bias", [d])]
            for l in 0..<config.layerCount {
                let p = "transformer.h.\(l)."
                shapes += [(p + "ln_1.weight", [d]), (p + "ln_1.bias", [d]), (p + "attn.c_attn.weight", [d, 3 * d]),
                           (p + "attn.c_attn.bias", [3 * d]), (p + "attn.c_proj.weight", [d, d]), (p + "attn.c_proj.bias", [d]),
                           (p + "ln_2.weight", [d]), (p + "ln_2.bias", [d]), (p + "mlp.c_fc.weight", [d, i]),
                           (p + "mlp.c_fc.bias", [i]), (p + "mlp.c_proj.weight", [i, d]), (p + "mlp.c_proj.bias", [d])]
            }
        } else {
            shapes = [("model.embed_tokens.weight", [v, d]), ("model.norm.weight", [d])]
            if !config.tieWordEmbeddings { shapes.append(("lm_head.weight", [v, d])) }
            for l in 0..<config.layerCount {
                let p = "model.layers.\(l)."
                shapes += [(p + "input_layernorm.weight", [d]), (p + "post_attention_layernorm.weight", [d]),
                           (p + "self_attn.q_proj.weight", [qd, d]), (p + "self_attn.k_proj.weight", [kvd, d]),
                           (p + "self_attn.v_proj.weight", [kvd, d]), (p + "self_attn.o_proj.weight", [d, qd]),
                           (p + "mlp.down_proj.weight", [d, i])]
                if config.attentionBias {
                    shapes += [(p + "self_attn.q_proj.bias", [qd]), (p + "self_attn.k_proj.bias", [kvd]), (p + "self_attn.v_proj.bias", [kvd])]
                }
                if config.family == .glm4 {
                    shapes += [(p + "mlp.gate_up_proj.weight", [2 * i, d]), (p + "post_self_attn_layernorm.weight", [d]),
                               (p + "post_mlp_layernorm.weight", [d])]
                } else {
                    shapes += [(p + "mlp.gate_proj.weight", [i, d]), (p + "mlp.up_proj.weight", [i, d])]
                    if config.mlpBias {
                        shapes += [(p + "mlp.gate_proj.bias", [i]), (p + "mlp.up_proj.bias", [i]), (p + "mlp.down_proj.bias", [d])]
                    }
                }
            }
        }
        var tensors: [String: Tensor] = [:]
        for (name, shape) in shapes {
            let isNorm = name.contains("norm") || name.contains("ln_")
            if shape.count == 1 {
                tensors[name] = isNorm && name.hasSuffix("weight") ? Tensor.ones(shape) : Tensor.zeros(shape)
            } else {
                tensors[name] = Tensor.randn(shape, std: std, generator: &generator)
            }
        }
        try self.init(config: config, weights: WeightSet(tensors, source: "random initialisation"))
    }
}
