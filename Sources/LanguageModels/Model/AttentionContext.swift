import TensorEngine

/// What every attention layer of one forward pass shares: positions, padding, and the cache being filled.
struct AttentionContext {
    /// Position of each query token, [B, T].
    let positions: IntTensor
    /// [B, keys] with 1 for real tokens and 0 for padding (covering cached and new tokens), or nil when none.
    let keyPaddingMask: Tensor?
    /// The generation cache, when decoding.
    let cache: KVCache?
}
