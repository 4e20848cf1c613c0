import TensorEngine

/// What every attention layer of one forward pass shares: positions, padding, and the cache being filled.
struct AttentionContext {
    /// Position of each query token, [B, T].
    let positions: IntTensor
    /// [B, keys] with 1 for real tokens and 0 for padding (covering cached and new tokens), or nil when none.
    let keyPaddingMask: Tensor?
    /// The generation cache, when decoding.
    let cache: KVCache?
    /// Weights packed for decoding a few rows at a time, when generating.
    let decodingWeights: DecodingWeights?

    /// Multi-head attention on projected q [B, T, H·hd], k and v [B, T, Hkv·hd]: split heads, rotate (unless GPT-2),
    /// append to the cache of `layer`, attend causally, merge heads.
    func attend(q: Tensor, k: Tensor, v: Tensor, layer: Int, config: ModelConfig) -> Tensor {
        let (b, t) = (q.shape[0], q.shape[1])
        let hd = config.headDim
        func heads(_ x: Tensor, _ n: Int) -> Tensor { x.reshaped([b, t, n, hd]).permuted([0, 2, 1, 3]) }
        var qh = heads(q, config.headCount), kh = heads(k, config.kvHeadCount)
        let vh = heads(v, config.kvHeadCount)
        if config.family != .gpt2 {
            let style: RoPEStyle = config.family == .glm4 ? .interleaved : .rotateHalf
            qh = rope(qh, positions: positions, base: config.ropeTheta, rotaryFraction: config.partialRotaryFactor, style: style)
            kh = rope(kh, positions: positions, base: config.ropeTheta, rotaryFraction: config.partialRotaryFactor, style: style)
        }
        let out: Tensor
        if let cache {
            let (keys, values, length) = cache.append(layer: layer, keys: kh, values: vh)
            out = scaledDotProductAttention(q: qh, k: keys, v: values, keyPaddingMask: keyPaddingMask, keyLength: length)
        } else {
            out = scaledDotProductAttention(q: qh, k: kh, v: vh, keyPaddingMask: keyPaddingMask)
        }
        return out.permuted([0, 2, 1, 3]).reshaped([b, t, config.headCount * hd])
    }
}
