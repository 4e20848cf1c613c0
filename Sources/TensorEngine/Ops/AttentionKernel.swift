/// Which attention kernel runs.
public enum AttentionKernel: Sendable {
    /// Blocked under a tape (the probabilities would be kept for backward: at SmolLM2's 30 layers and 16 × 112 tokens,
    /// 217 MB per taped model, for about 5% more attention time); without one, unblocked while the probabilities fit
    /// in `AttentionKernel.unblockedLimit` floats (freed as soon as the output is computed), else blocked.
    case automatic
    /// Online softmax over key blocks, probabilities recomputed in backward: memory linear in the sequence length.
    case blocked
    /// Probabilities [B, H, Tq, Tk] computed once and kept for backward.
    case unblocked

    /// Probabilities (floats) the automatic choice computes at once without a tape: 16 Mi floats, 64 MB, e.g. batch
    /// 8 × 8 heads at T = 512.
    public static let unblockedLimit = 1 << 24

    /// Whether the blocked kernel runs for `probabilities` floats, `taped` saying whether the op is recorded for
    /// backward (or in a checkpointed block, which will be).
    func isBlocked(probabilities: Int, taped: Bool) -> Bool {
        switch self {
        case .automatic: taped || probabilities > Self.unblockedLimit
        case .blocked: true
        case .unblocked: false
        }
    }
}

/// The sizes both attention kernels work with.
struct AttentionGeometry {
    let batch: Int, heads: Int, keyHeads: Int, queries: Int, keys: Int, headDim: Int
    /// Positions allocated per key/value head (≥ `keys` for a KV cache).
    let capacity: Int
    let causal: Bool
    let alpha: Float

    /// Query heads per key/value head.
    var group: Int { heads / keyHeads }
    /// Distance between heads of k and v.
    var kvStride: Int { capacity * headDim }

    /// Keys query `i` may see (before padding): all, or those up to its position when causal.
    @inline(__always)
    func visibleKeys(_ i: Int) -> Int { causal ? min(keys, max(0, keys - queries + i + 1)) : keys }
}
