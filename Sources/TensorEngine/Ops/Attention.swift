/// Scaled dot-product attention on [batch, heads, time, headDim], causal by default.
///
/// - Parameters:
///   - q: [B, H, Tq, D]; `k`, `v`: [B, Hkv, Tk, D] with H a multiple of Hkv (grouped-query attention: query head h
///     reads key/value head h / (H / Hkv)).
///   - causal: query i sees keys up to Tk − Tq + i, so a query block appended after a KV cache sees the whole cache.
///   - scale: defaults to 1/√D.
///   - keyPaddingMask: [B, Tk], non-zero where a key is real; padded keys get no attention. A query row with no
///     visible key outputs zeros (and passes no gradient).
///   - keyLength: use only the first `keyLength` positions of `k` and `v` (a KV cache preallocated to a capacity);
///     Tk above is then this length. Defaults to all of them.
///   - kernel: which implementation runs (`automatic` unless comparing them).
///
/// Two kernels give the same results within f32 rounding: the unblocked one keeps the probabilities
/// ([B, H, Tq, Tk]) for backward; the blocked ("flash") one keeps only a log-sum-exp per query, computing the softmax
/// online over blocks of keys and recomputing the probabilities block by block in backward, so its memory grows with
/// T rather than T². The automatic choice takes the blocked one whenever the op is recorded for backward.
public func scaledDotProductAttention(
    q: Tensor, k: Tensor, v: Tensor, causal: Bool = true, scale: Float? = nil, keyPaddingMask: Tensor? = nil,
    keyLength: Int? = nil, kernel: AttentionKernel = .automatic
) -> Tensor {
    let op = "attention"
    if q.rank != 4 || k.rank != 4 || v.rank != 4 || k.shape != v.shape || q.shape[0] != k.shape[0]
        || q.shape[3] != k.shape[3]
        || k.shape[1] == 0 || q.shape[1] % k.shape[1] != 0
    {
        engineFailure(
            op,
            "shapes q \(q.shape), k \(k.shape), v \(v.shape) are incompatible (need [B,H,Tq,D], [B,Hkv,Tk,D], H % Hkv == 0)"
        )
    }
    let (b, h, tq, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
    let (hkv, capacity) = (k.shape[1], k.shape[2])
    let tk = keyLength ?? capacity
    if tk < 0 || tk > capacity {
        engineFailure(op, "key length \(tk) outside the \(capacity) positions of k \(k.shape)")
    }
    if let m = keyPaddingMask, m.shape != [b, tk] {
        engineFailure(op, "key padding mask shape \(m.shape) does not match [\(b), \(tk)] for keys \(k.shape)")
    }
    let geometry = AttentionGeometry(
        batch: b, heads: h, keyHeads: hkv, queries: tq, keys: tk, headDim: d, capacity: capacity, causal: causal,
        alpha: scale ?? 1 / Float(d).squareRoot())
    let taped =
        GradMode.isEnabled && (q.requiresGrad || k.requiresGrad || v.requiresGrad) || GradMode.inCheckpointedBlock
    if kernel.isBlocked(probabilities: b * h * tq * tk, taped: taped) {
        return blockedAttention(q: q, k: k, v: v, keyPaddingMask: keyPaddingMask, geometry)
    }
    return unblockedAttention(q: q, k: k, v: v, keyPaddingMask: keyPaddingMask, geometry)
}
