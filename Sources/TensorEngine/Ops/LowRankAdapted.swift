/// A frozen layer plus a low-rank term, as one recorded op: `base(x) + scale · (adapterInput·Aᵀ)·Bᵀ` with A
/// [r, in] and B [out, r] (LoRA; `adapterInput` is `x`, or `x` after dropout).
///
/// Recorded as separate ops, the sum would keep the base's output and the low-rank output alive until the backward
/// pass besides the result — three [rows, out] activations per adapted layer instead of one. Here the node keeps only
/// the small [rows, r] product, and the backward pass computes
/// dx = baseInputGradient(dz) + scale·(dz·B)·A, dA = scale·(dz·B)ᵀ·adapterInput, dB = scale·dzᵀ·(adapterInput·Aᵀ).
/// The base must be frozen: it is run without recording, and only its input gradient is asked for (without a tape, any
/// base will do). `base` and `baseInputGradient` return fresh tensors, which the low-rank terms are accumulated into.
/// The one-layer case of `lowRankAdapted(_:adapterInput:layers:)`.
public func lowRankAdapted(
    _ x: Tensor, adapterInput: Tensor, a: Tensor, b: Tensor, scale: Float,
    base: @escaping (Tensor) -> Tensor, baseInputGradient: @escaping (Tensor) -> Tensor
) -> Tensor {
    lowRankAdapted(
        x, adapterInput: adapterInput,
        layers: [LowRankLayer(a: a, b: b, scale: scale, base: base, baseInputGradient: baseInputGradient)])[0]
}
