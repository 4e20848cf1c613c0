/// A frozen layer plus a low-rank term, as one recorded op: `base(x) + scale · (adapterInput·Aᵀ)·Bᵀ` with A
/// [r, in] and B [out, r] (LoRA; `adapterInput` is `x`, or `x` after dropout).
///
/// Recorded as separate ops, the sum would keep the base's output and the low-rank output alive until the backward
/// pass besides the result — three [rows, out] activations per adapted layer instead of one. Here the node keeps only
/// the small [rows, r] product, and the backward pass computes
/// dx = baseInputGradient(dz) + scale·(dz·B)·A, dA = scale·(dz·B)ᵀ·adapterInput, dB = scale·dzᵀ·(adapterInput·Aᵀ).
/// The base must be frozen: it is run without recording, and only its input gradient is asked for (without a tape, any
/// base will do). `base` and `baseInputGradient` return fresh tensors, which the low-rank terms are accumulated into.
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
        // The base's output is a fresh tensor, this op's own: the term is accumulated into it by the GEMM itself,
        // without a [rows, out] product of its own and a pass to add it.
        GEMM.sgemm(
            transA: false, transB: true, m: rows, n: outputs, k: rank, alpha: scale, a: p.data, lda: rank,
            b: b.data, ldb: rank, beta: 1, c: y.data, ldc: outputs)
        return (y, p)
    }
    // Without a tape nothing is recorded: no gradient node, and `projected` is dropped at once.
    guard GradMode.isEnabled else { return out }
    let sameInput = adapterInput === x
    let recorded = sameInput ? [x, a, b] : [x, adapterInput, a, b]
    return Tensor.record("lowRankAdapted", recorded, out) { dz in
        let g = dz.reshaped([rows, outputs])
        // scale·dz·B [rows, r]: the scale is applied once, on the small product, for all three gradients.
        let t = matmul(g, b)
        VectorMath.scale(t.data, t.count, by: scale)
        let gradA = a.requiresGrad ? matmul(t, adapterInput.reshaped([rows, inputs]), transposeA: true) : nil
        let gradB = b.requiresGrad ? matmul(g, projected, transposeA: true) * scale : nil
        // The adapter's share of dx is accumulated by the GEMM into the base's input gradient (a fresh tensor, as
        // `baseInputGradient` must return), not made apart and added.
        func addingAdapterShare(to base: Tensor?) -> Tensor {
            let target = base ?? Tensor.zeros([rows, inputs])
            GEMM.sgemm(
                transA: false, transB: false, m: rows, n: inputs, k: rank, a: t.data, lda: rank, b: a.data,
                ldb: inputs, beta: 1, c: target.data, ldc: inputs)
            return target.reshaped(x.shape)
        }
        let baseGradient = x.requiresGrad ? baseInputGradient(dz).reshaped([rows, inputs]) : nil
        let adapterGrads = [gradA, gradB]
        if sameInput {
            let gradX = adapterInput.requiresGrad ? addingAdapterShare(to: baseGradient) : baseGradient
            return [gradX?.reshaped(x.shape)] + adapterGrads
        }
        let viaAdapter = adapterInput.requiresGrad ? addingAdapterShare(to: nil) : nil
        return [baseGradient?.reshaped(x.shape), viaAdapter] + adapterGrads
    }
}
