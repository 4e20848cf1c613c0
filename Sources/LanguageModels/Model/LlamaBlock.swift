import TensorEngine

/// The Llama block (also Qwen2, with q/k/v bias, and GLM-4, with a fused gate/up projection and norms after the
/// attention and the MLP): pre-RMSNorm, rotary grouped-query attention, SwiGLU MLP.
struct LlamaBlock: TransformerBlock {
    let config: ModelConfig
    let prefix: String
    let inputNorm: Tensor, postAttentionNorm: Tensor
    let q: Tensor, k: Tensor, v: Tensor, o: Tensor
    let qBias: Tensor?, kBias: Tensor?, vBias: Tensor?, oBias: Tensor?
    /// Llama/Qwen2: separate gate and up; GLM-4: one [2·I, D] matrix, gate rows first.
    let gate: Tensor?, up: Tensor?, gateUp: Tensor?, down: Tensor
    let gateBias: Tensor?, upBias: Tensor?, downBias: Tensor?
    /// GLM-4 only.
    let postSelfAttentionNorm: Tensor?, postMLPNorm: Tensor?

    init(_ w: WeightSet, prefix p: String, config c: ModelConfig) throws {
        let d = c.hiddenSize, i = c.intermediateSize
        let qd = c.headCount * c.headDim, kvd = c.kvHeadCount * c.headDim
        config = c; prefix = p
        inputNorm = try w.require(p + "input_layernorm.weight", [d])
        postAttentionNorm = try w.require(p + "post_attention_layernorm.weight", [d])
        q = try w.require(p + "self_attn.q_proj.weight", [qd, d])
        k = try w.require(p + "self_attn.k_proj.weight", [kvd, d])
        v = try w.require(p + "self_attn.v_proj.weight", [kvd, d])
        o = try w.require(p + "self_attn.o_proj.weight", [d, qd])
        func bias(_ name: String, _ n: Int, required: Bool) throws -> Tensor? {
            required ? try w.require(p + name, [n]) : try w.optional(p + name, [n])
        }
        qBias = try bias("self_attn.q_proj.bias", qd, required: c.attentionBias)
        kBias = try bias("self_attn.k_proj.bias", kvd, required: c.attentionBias)
        vBias = try bias("self_attn.v_proj.bias", kvd, required: c.attentionBias)
        oBias = try bias("self_attn.o_proj.bias", d, required: false)
        if c.family == .glm4 {
            gateUp = try w.require(p + "mlp.gate_up_proj.weight", [2 * i, d])
            gate = nil; up = nil; gateBias = nil; upBias = nil
            postSelfAttentionNorm = try w.require(p + "post_self_attn_layernorm.weight", [d])
            postMLPNorm = try w.require(p + "post_mlp_layernorm.weight", [d])
        } else {
            gate = try w.require(p + "mlp.gate_proj.weight", [i, d])
            up = try w.require(p + "mlp.up_proj.weight", [i, d])
            gateBias = try bias("mlp.gate_proj.bias", i, required: c.mlpBias)
            upBias = try bias("mlp.up_proj.bias", i, required: c.mlpBias)
            gateUp = nil; postSelfAttentionNorm = nil; postMLPNorm = nil
        }
        down = try w.require(p + "mlp.down_proj.weight", [d, i])
        downBias = try bias("mlp.down_proj.bias", d, required: c.mlpBias && c.family != .glm4)
    }

    func callAsFunction(_ x: Tensor, layer: Int, context: AttentionContext) -> Tensor {
        let eps = config.normEpsilon
        let h = rmsNorm(x, weight: inputNorm, eps: eps)
        var attended = context.attend(q: context.project(h, q, qBias), k: context.project(h, k, kBias),
                                      v: context.project(h, v, vBias),
                                      layer: layer, config: config)
        attended = context.project(attended, o, oBias)
        if let postSelfAttentionNorm { attended = rmsNorm(attended, weight: postSelfAttentionNorm, eps: eps) }
        let x1 = x + attended
        let h2 = rmsNorm(x1, weight: postAttentionNorm, eps: eps)
        let activated: Tensor
        if let gateUp {
            let both = context.project(h2, gateUp, nil)
            let i = config.intermediateSize
            activated = swiglu(gate: both.slice(axis: -1, 0..<i), up: both.slice(axis: -1, i..<(2 * i)))
        } else {
            activated = swiglu(gate: context.project(h2, gate!, gateBias), up: context.project(h2, up!, upBias))
        }
        var mlp = context.project(activated, down, downBias)
        if let postMLPNorm { mlp = rmsNorm(mlp, weight: postMLPNorm, eps: eps) }
        return x1 + mlp
    }

    var projections: [Projection] {
        let all: [(Tensor?, Tensor?)] = [(q, qBias), (k, kBias), (v, vBias), (o, oBias), (gate, gateBias), (up, upBias),
                                         (gateUp, nil), (down, downBias)]
        return all.compactMap { w, b in w.map { Projection(weight: $0, bias: b, transposed: true) } }
    }

    var namedParameters: [(String, Tensor)] {
        let all: [(String, Tensor?)] = [
            ("input_layernorm.weight", inputNorm), ("self_attn.q_proj.weight", q), ("self_attn.q_proj.bias", qBias),
            ("self_attn.k_proj.weight", k), ("self_attn.k_proj.bias", kBias), ("self_attn.v_proj.weight", v),
            ("self_attn.v_proj.bias", vBias), ("self_attn.o_proj.weight", o), ("self_attn.o_proj.bias", oBias),
            ("post_self_attn_layernorm.weight", postSelfAttentionNorm), ("post_attention_layernorm.weight", postAttentionNorm),
            ("mlp.gate_proj.weight", gate), ("mlp.gate_proj.bias", gateBias), ("mlp.up_proj.weight", up),
            ("mlp.up_proj.bias", upBias), ("mlp.gate_up_proj.weight", gateUp), ("mlp.down_proj.weight", down),
            ("mlp.down_proj.bias", downBias), ("post_mlp_layernorm.weight", postMLPNorm),
        ]
        return all.compactMap { name, t in t.map { (prefix + name, $0) } }
    }
}
