import TensorEngine

/// Causal multi-head attention with grouped key/value heads: separate or fused (GPT-2) q/k/v projections with
/// optional biases, optional per-head RMSNorm on queries and keys (Qwen3), rotary positions (rotate-half, or GLM-4's
/// interleaved partial rotation; none for GPT-2), and the generation cache. A tensor-parallel shard holds its
/// rank's heads: q/k/v split by output, o by input (`TensorParallelism`).
public final class Attention: Module {
    /// Separate query, key and value projections (nil when fused).
    public let q: Linear?, k: Linear?, v: Linear?
    /// GPT-2's fused [q | k | v] projection.
    public let qkv: Linear?
    /// Per-head norms on queries and keys before rotation (Qwen3).
    public let qNorm: RMSNorm?, kNorm: RMSNorm?
    /// The output projection.
    public let o: Linear
    /// Which layer this is: the cache slot it fills.
    let layerIndex: Int
    let headCount: Int, kvHeadCount: Int, headDim: Int
    let rotary: (base: Float, fraction: Float, style: RoPEStyle)?
    /// The ranks this layer's heads are split over (nil: all heads here).
    let parallelism: TensorParallelism?

    /// The layer of a model of `config` — with `parallelism`, this rank's shard, `config` being the shard's
    /// (`ModelConfig.shard(over:)`).
    init(
        key: WeightKey, layerIndex: Int, config c: ModelConfig, names n: WeightNames,
        parallelism: TensorParallelism? = nil
    ) {
        let d = c.hiddenSize, qd = c.headCount * c.headDim, kvd = c.kvHeadCount * c.headDim
        if c.family == .gpt2 {
            qkv = Linear(key: n.fusedQKV, inputs: d, outputs: 3 * d, bias: .required, layout: .inputsByOutputs)
            q = nil; k = nil; v = nil
            o = Linear(key: n.output, inputs: d, outputs: d, bias: .required, layout: .inputsByOutputs)
            rotary = nil
        } else {
            let bias: Parameter.Presence = c.attentionBias ? .required : .ifPresent
            let byOutput = parallelism.map { (TensorParallelSplit.outputs, $0) }
            q = Linear(key: n.query, inputs: d, outputs: qd, bias: bias, split: byOutput)
            k = Linear(key: n.key, inputs: d, outputs: kvd, bias: bias, split: byOutput)
            v = Linear(key: n.value, inputs: d, outputs: kvd, bias: bias, split: byOutput)
            qkv = nil
            o = Linear(
                key: n.output, inputs: qd, outputs: d, bias: .ifPresent,
                split: parallelism.map { (.inputs, $0) })
            rotary = (c.ropeTheta, c.partialRotaryFactor, c.family.ropeStyle)
        }
        if c.queryKeyNorm {
            qNorm = RMSNorm(key: n.queryNorm, width: c.headDim, eps: c.normEpsilon)
            kNorm = RMSNorm(key: n.keyNorm, width: c.headDim, eps: c.normEpsilon)
        } else {
            qNorm = nil; kNorm = nil
        }
        self.layerIndex = layerIndex
        self.parallelism = parallelism
        headCount = c.headCount; kvHeadCount = c.kvHeadCount; headDim = c.headDim
        super.init(key: key)
    }

    /// Attends over `x` [B, T, D] (and the cached tokens) → [B, T, D].
    func callAsFunction(_ x: Tensor, context: AttentionContext) -> Tensor {
        let (b, t) = (x.shape[0], x.shape[1])
        let queries: Tensor, keys: Tensor, values: Tensor
        if let qkv {
            let fused = qkv(x), d = headCount * headDim
            queries = fused.slice(axis: -1, 0..<d)
            keys = fused.slice(axis: -1, d..<(2 * d))
            values = fused.slice(axis: -1, (2 * d)..<(3 * d))
        } else {
            // One exchange for the three projections' input gradient, not three.
            let input = parallelism?.enteringShards(x) ?? x
            let projected = Linear.applying([q!, k!, v!], to: input)
            (queries, keys, values) = (projected[0], projected[1], projected[2])
        }
        func heads(_ x: Tensor, _ n: Int) -> Tensor { x.reshaped([b, t, n, headDim]).permuted([0, 2, 1, 3]) }
        var qh = heads(queries, headCount), kh = heads(keys, kvHeadCount)
        let vh = heads(values, kvHeadCount)
        if let qNorm, let kNorm { qh = qNorm(qh); kh = kNorm(kh) }
        if let rotary {
            qh = rope(
                qh, positions: context.positions, base: rotary.base, rotaryFraction: rotary.fraction,
                style: rotary.style)
            kh = rope(
                kh, positions: context.positions, base: rotary.base, rotaryFraction: rotary.fraction,
                style: rotary.style)
        }
        let out: Tensor
        if let cache = context.cache {
            let (cachedKeys, cachedValues, length) = cache.append(layer: layerIndex, keys: kh, values: vh)
            out = scaledDotProductAttention(
                q: qh, k: cachedKeys, v: cachedValues, keyPaddingMask: context.keyPaddingMask, keyLength: length)
        } else {
            out = scaledDotProductAttention(q: qh, k: kh, v: vh, keyPaddingMask: context.keyPaddingMask)
        }
        let width = headCount * headDim
        // The heads merged for `o` copy the attention's result, which its backward keeps anyway: recomputed then.
        return recomputedInBackward({ out.permuted([0, 2, 1, 3]).reshaped([b, t, width]) }, readBy: o.callAsFunction)
    }
}
