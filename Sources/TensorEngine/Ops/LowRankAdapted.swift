/// A frozen layer plus a low-rank term, as one recorded op: `base(x) + scale · (adapterInput·Aᵀ)·Bᵀ` with A
/// [r, in] and B [out, r] (LoRA; `adapterInput` is `x`, or `x` after dropout).
///
/// Recorded as separate ops, the sum would keep the base's output and the low-rank output alive until the backward
/// pass besides the result — three [rows, out] activations per adapted layer instead of one. Here the node keeps only
/// the small [rows, r] product, and the backward pass computes
/// dx = baseInputGradient(dz) + scale·(dz·B)·A, dA = scale·(dz·B)ᵀ·adapterInput, dB = scale·dzᵀ·(adapterInput·Aᵀ).
/// The base must be frozen: it is run without recording, and only its input gradient is asked for.
public func lowRankAdapted(
    _ x: Tensor, adapterInput: Tensor, a: Tensor, b: Tensor, scale: Float,
    base: (Tensor) -> Tensor, baseInputGradient: @escaping (Tensor) -> Tensor
) -> Tensor {
    let inputs = x.shape.last ?? 0, rank = a.shape.first ?? 0
    if a.rank != 2 || a.shape[1] != inputs || b.rank != 2 || b.shape[1] != rank || adapterInput.shape != x.shape {
        engineFailure(
            "lowRankAdapted",
            "A \(a.shape) and B \(b.shape) do not fit input \(x.shape) (adapter input \(adapterInput.shape))")
    }
    let rows = x.count / max(inputs, 1), outputs = b.shape[0]
    let (out, projected) = withNoGrad { () -> (Tensor, Tensor) in
        let y = base(x)
        if y.shape.last != outputs {
            engineFailure("lowRankAdapted", "base output \(y.shape) does not end in \(outputs)")
        }
        let p = matmul(adapterInput.reshaped([rows, inputs]), a, transposeB: true)
        let u = matmul(p, b, transposeB: true)
        // The base's output is a fresh tensor, this op's own: the term is added in place.
        VectorMath.axpy(scale, u.data, y.data, y.count)
        return (y, p)
    }
    let sameInput = adapterInput === x
    let recorded = sameInput ? [x, a, b] : [x, adapterInput, a, b]
    return Tensor.record("lowRankAdapted", recorded, out) { dz in
        let g = dz.reshaped([rows, outputs])
        let t = matmul(g, b)  // [rows, r]
        let gradA = a.requiresGrad ? matmul(t, adapterInput.reshaped([rows, inputs]), transposeA: true) * scale : nil
        let gradB = b.requiresGrad ? matmul(g, projected, transposeA: true) * scale : nil
        let viaAdapter = adapterInput.requiresGrad ? (matmul(t, a) * scale).reshaped(x.shape) : nil
        var gradX = x.requiresGrad ? baseInputGradient(dz).reshaped(x.shape) : nil
        if sameInput, let viaAdapter { gradX = gradX.map { $0 + viaAdapter } ?? viaAdapter }
        let adapterGrads = [gradA, gradB]
        return sameInput ? [gradX] + adapterGrads : [gradX, viaAdapter] + adapterGrads
    }
}
