import TensorEngine

/// GPT-2's block: pre-LayerNorm, fused q/k/v Conv1D, GELU (tanh) MLP.
struct GPT2Block: TransformerBlock {
    let config: ModelConfig
    let prefix: String
    let ln1W: Tensor, ln1B: Tensor, attnW: Tensor, attnB: Tensor, projW: Tensor, projB: Tensor
    let ln2W: Tensor, ln2B: Tensor, fcW: Tensor, fcB: Tensor, outW: Tensor, outB: Tensor

    init(_ w: WeightSet, prefix p: String, config c: ModelConfig) throws {
        let d = c.hiddenSize, i = c.intermediateSize
        config = c; prefix = p
        ln1W = try w.require(p + "ln_1.weight", [d]); ln1B = try w.require(p + "ln_1.bias", [d])
        attnW = try w.require(p + "attn.c_attn.weight", [d, 3 * d]); attnB = try w.require(p + "attn.c_attn.bias", [3 * d])
        projW = try w.require(p + "attn.c_proj.weight", [d, d]); projB = try w.require(p + "attn.c_proj.bias", [d])
        ln2W = try w.require(p + "ln_2.weight", [d]); ln2B = try w.require(p + "ln_2.bias", [d])
        fcW = try w.require(p + "mlp.c_fc.weight", [d, i]); fcB = try w.require(p + "mlp.c_fc.bias", [i])
        outW = try w.require(p + "mlp.c_proj.weight", [i, d]); outB = try w.require(p + "mlp.c_proj.bias", [d])
    }

    func callAsFunction(_ x: Tensor, layer: Int, context: AttentionContext) -> Tensor {
        let d = config.hiddenSize
        let h = layerNorm(x, weight: ln1W, bias: ln1B, eps: config.normEpsilon)
        let qkv = context.conv1D(h, attnW, attnB)
        let attended = context.attend(q: qkv.slice(axis: -1, 0..<d), k: qkv.slice(axis: -1, d..<(2 * d)),
                                      v: qkv.slice(axis: -1, (2 * d)..<(3 * d)), layer: layer, config: config)
        let x1 = x + context.conv1D(attended, projW, projB)
        let h2 = layerNorm(x1, weight: ln2W, bias: ln2B, eps: config.normEpsilon)
        return x1 + context.conv1D(context.conv1D(h2, fcW, fcB).gelu(approximate: .tanh), outW, outB)
    }

    var projections: [Projection] {
        [(attnW, attnB), (projW, projB), (fcW, fcB), (outW, outB)].map { Projection(weight: $0.0, bias: $0.1, transposed: false) }
    }

    var namedParameters: [(String, Tensor)] {
        [("ln_1.weight", ln1W), ("ln_1.bias", ln1B), ("attn.c_attn.weight", attnW), ("attn.c_attn.bias", attnB),
         ("attn.c_proj.weight", projW), ("attn.c_proj.bias", projB), ("ln_2.weight", ln2W), ("ln_2.bias", ln2B),
         ("mlp.c_fc.weight", fcW), ("mlp.c_fc.bias", fcB), ("mlp.c_proj.weight", outW), ("mlp.c_proj.bias", outB)]
            .map { (prefix + $0.0, $0.1) }
    }
}
