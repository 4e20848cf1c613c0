/// One frozen layer of `lowRankAdapted(_:adapterInput:layers:)`: A [r, in], B [out, r], the scale, and the base's
/// product and input gradient (each returning a fresh tensor).
public struct LowRankLayer {
    public let a: Tensor
    public let b: Tensor
    public let scale: Float
    public let base: (Tensor) -> Tensor
    public let baseInputGradient: (Tensor) -> Tensor

    public init(
        a: Tensor, b: Tensor, scale: Float, base: @escaping (Tensor) -> Tensor,
        baseInputGradient: @escaping (Tensor) -> Tensor
    ) {
        self.a = a; self.b = b; self.scale = scale; self.base = base; self.baseInputGradient = baseInputGradient
    }
}

/// Frozen layers that read one input, each plus its low-rank term (LoRA on a block's query, key and value, or on its
/// gate and up), computed together: `[base_i(x) + scale_i · (adapterInput·A_iᵀ)·B_iᵀ]`.
///
/// Apart (`lowRankAdapted(_:adapterInput:a:b:scale:base:baseInputGradient:)` per layer) each layer reads the input
/// for its own A product and for its own A gradient, and adds its own share into dx, which the tape then sums. Here
/// the A matrices are stacked: one product P = adapterInput·[A_1; …; A_n]ᵀ, one gradient Tᵀ·adapterInput for all the
/// A's (T = [scale_i · dz_i·B_i]), and dx = Σ baseInputGradient_i(dz_i) + T·[A_1; …; A_n], summed in place.
///
/// Every output must reach the loss when any does (the op's backward runs once the last output's gradient arrives):
/// true of attention's q, k and v and of SwiGLU's gate and up, the uses it is for. The bases must be frozen.
public func lowRankAdapted(_ x: Tensor, adapterInput: Tensor, layers: [LowRankLayer]) -> [Tensor] {
    let inputs = x.shape.last ?? 0, rows = x.count / max(inputs, 1)
    let ranks = layers.map { $0.a.shape.first ?? 0 }, total = ranks.reduce(0, +)
    let offsets = ranks.reduce(into: [0]) { $0.append($0.last! + $1) }
    for (i, layer) in layers.enumerated() {
        if layer.a.rank != 2 || layer.a.shape[1] != inputs || layer.b.rank != 2 || layer.b.shape[1] != ranks[i] {
            engineFailure(
                "lowRankAdapted", "layer \(i): A \(layer.a.shape) and B \(layer.b.shape) do not fit input \(x.shape)")
        }
    }
    if adapterInput.shape != x.shape {
        engineFailure("lowRankAdapted", "adapter input \(adapterInput.shape) differs from input \(x.shape)")
    }
    let outputs = layers.map { $0.b.shape[0] }
    // [A_1; …; A_n] [total, in]: small (the ranks' rows), copied per call.
    let stacked = Tensor(uninitializedShape: [total, inputs])
    for (i, layer) in layers.enumerated() {
        (stacked.data + offsets[i] * inputs).update(from: layer.a.data, count: ranks[i] * inputs)
    }
    let (ys, projected) = withNoGrad { () -> ([Tensor], Tensor) in
        let p = Tensor(uninitializedShape: [rows, total])
        GEMM.sgemm(
            transA: false, transB: true, m: rows, n: total, k: inputs, a: adapterInput.data, lda: inputs,
            b: stacked.data, ldb: inputs, c: p.data, ldc: total)
        let ys = layers.enumerated().map { i, layer in
            let y = layer.base(x)
            if y.count != rows * outputs[i] {
                engineFailure("lowRankAdapted", "layer \(i): base output \(y.shape) does not end in \(outputs[i])")
            }
            GEMM.sgemm(
                transA: false, transB: true, m: rows, n: outputs[i], k: ranks[i], alpha: layer.scale,
                a: p.data + offsets[i], lda: total, b: layer.b.data, ldb: ranks[i], beta: 1, c: y.data,
                ldc: outputs[i])
            return y
        }
        return (ys, p)
    }
    guard GradMode.isEnabled else { return ys }
    let sameInput = adapterInput === x
    let recorded = (sameInput ? [x] : [x, adapterInput]) + layers.flatMap { [$0.a, $0.b] }
    let gradients = JointGradients(count: layers.count)
    return ys.enumerated().map { index, y in
        Tensor.record("lowRankAdapted (jointly)", recorded, y, readsResult: false) { dz in
            // The outputs' gradients arrive one by one; the last computes every input's.
            guard let dzs = gradients.collect(dz, at: index) else { return recorded.map { _ in nil } }
            let t = Tensor(uninitializedShape: [rows, total])
            for (i, layer) in layers.enumerated() {
                GEMM.sgemm(
                    transA: false, transB: false, m: rows, n: ranks[i], k: outputs[i], alpha: layer.scale,
                    a: dzs[i].data, lda: outputs[i], b: layer.b.data, ldb: ranks[i], c: t.data + offsets[i],
                    ldc: total)
            }
            var adapterGrads: [Tensor?] = []
            let gradStacked =
                layers.contains { $0.a.requiresGrad }
                ? matmul(t, adapterInput.reshaped([rows, inputs]), transposeA: true) : nil
            for (i, layer) in layers.enumerated() {
                adapterGrads.append(
                    layer.a.requiresGrad
                        ? Tensor(
                            shape: [ranks[i], inputs],
                            scalars: Array(
                                UnsafeBufferPointer(
                                    start: gradStacked!.data + offsets[i] * inputs, count: ranks[i] * inputs)))
                        : nil)
                var gradB: Tensor? = nil
                if layer.b.requiresGrad {
                    let g = Tensor(uninitializedShape: [outputs[i], ranks[i]])
                    GEMM.sgemm(
                        transA: true, transB: false, m: outputs[i], n: ranks[i], k: rows, alpha: layer.scale,
                        a: dzs[i].data, lda: outputs[i], b: projected.data + offsets[i], ldb: total, c: g.data,
                        ldc: ranks[i])
                    gradB = g
                }
                adapterGrads.append(gradB)
            }
            func addingAdapterShare(to base: Tensor?) -> Tensor {
                let target = base ?? Tensor.zeros([rows, inputs])
                GEMM.sgemm(
                    transA: false, transB: false, m: rows, n: inputs, k: total, a: t.data, lda: total,
                    b: stacked.data, ldb: inputs, beta: 1, c: target.data, ldc: inputs)
                return target.reshaped(x.shape)
            }
            // The bases' input gradients summed in place into the first (fresh tensors, as the bases return).
            var baseGradient: Tensor? = nil
            if x.requiresGrad {
                for (i, layer) in layers.enumerated() {
                    let g = layer.baseInputGradient(dzs[i])
                    if let sum = baseGradient { sum.addInPlace(g) } else { baseGradient = g.reshaped([rows, inputs]) }
                }
            }
            if sameInput {
                let gradX = adapterInput.requiresGrad ? addingAdapterShare(to: baseGradient) : baseGradient
                return [gradX?.reshaped(x.shape)] + adapterGrads
            }
            let viaAdapter = adapterInput.requiresGrad ? addingAdapterShare(to: nil) : nil
            return [baseGradient?.reshaped(x.shape), viaAdapter] + adapterGrads
        }
    }
}

/// The output gradients of a jointly computed op, gathered until all have arrived.
private final class JointGradients {
    private var received: [Tensor?]

    init(count: Int) { received = Array(repeating: nil, count: count) }

    /// Keeps `gradient` for output `index`; once every output's has arrived, returns them all and forgets them.
    func collect(_ gradient: Tensor, at index: Int) -> [Tensor]? {
        received[index] = gradient
        guard received.allSatisfy({ $0 != nil }) else { return nil }
        defer { received = received.map { _ in nil } }
        return received.map { $0! }
    }
}
