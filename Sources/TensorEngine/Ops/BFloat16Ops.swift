import Parallelism

/// A dense layer with a frozen bfloat16 weight in PyTorch's layout: x·Wᵀ + b with `weight` [out, in] and optional
/// `bias` [out]; x [..., in] → [..., out]. Products widen W to Float32 and accumulate in Float32.
///
/// Differentiable with respect to `x` and `bias` (dx = dy·W); the weight is frozen and never gets a gradient.
public func linear(_ x: Tensor, weight: BFloat16Matrix, bias: Tensor? = nil) -> Tensor {
    bfloat16Product("linear", x, weight, transposed: true, bias: bias)
}

/// x·W (+ b) with a frozen bfloat16 `weight` [in, out] (GPT-2's Conv1D layout) and optional `bias` [out];
/// x [..., in] → [..., out]. Differentiable with respect to `x` and `bias` (dx = dy·Wᵀ); the weight gets no gradient.
public func matmul(_ x: Tensor, _ weight: BFloat16Matrix, bias: Tensor? = nil) -> Tensor {
    bfloat16Product("matmul", x, weight, transposed: false, bias: bias)
}

/// Rows of a bfloat16 `table` [vocab, dim] for each id, widened to Float32: the result has shape `ids.shape + [dim]`.
/// The table is frozen, so nothing is recorded for backward.
public func embedding(_ table: BFloat16Matrix, _ ids: IntTensor) -> Tensor {
    for id in ids.scalars where id < 0 || id >= table.rows {
        engineFailure("embedding", "id \(id) out of range for a bfloat16 table of shape \(table.shape)")
    }
    let dim = table.columns
    let out = Tensor(uninitializedShape: ids.shape + [dim])
    let src = table.pointer, dst = out.data
    ids.scalars.withUnsafeBufferPointer { idx in
        Parallel.forRanges(idx.count, grain: max(1, 16_384 / max(dim, 1))) { r in
            for t in r { BFloat16.widen(src + idx[t] * dim, dst + t * dim, count: dim) }
        }
    }
    return out
}

/// x·op(W) + b for a bfloat16 W, where op(W) = Wᵀ when `transposed`; records the backward to x and the bias.
private func bfloat16Product(
    _ op: String, _ x: Tensor, _ weight: BFloat16Matrix, transposed: Bool, bias: Tensor?
) -> Tensor {
    let (k, n) = transposed ? (weight.columns, weight.rows) : (weight.rows, weight.columns)
    if x.rank < 1 || x.shape[x.rank - 1] != k {
        engineFailure(
            op,
            "input shape \(x.shape) does not end in \(k), the inputs of bfloat16 weight \(weight.shape)"
                + (transposed ? "ᵀ" : ""))
    }
    if let bias, bias.shape != [n] { engineFailure(op, "bias shape \(bias.shape) is not [\(n)]") }
    let leading = Array(x.shape.dropLast()), rows = leading.reduce(1, *)
    let out = Tensor(uninitializedShape: leading + [n])
    BFloat16GEMM.run(x: x.data, m: rows, weight: weight, transposed: transposed, y: out.data)
    if let bias {
        let b = UnsafePointer(bias.data), y = out.data
        Parallel.forRanges(rows, grain: max(1, 16_384 / max(n, 1))) { r in
            for i in r { VectorMath.axpy(1, b, y + i * n, n) }
        }
    }
    let inputs = bias.map { [x, $0] } ?? [x]
    // The backward reads only the (frozen) weight: x's values need not be kept for it.
    let inputShape = x.shape, inputNeedsGradient = x.requiresGrad
    return Tensor.record(op + " (bfloat16 weight)", inputs, out, keepsInputs: false, readsResult: false) { g in
        var gx: Tensor? = nil
        if inputNeedsGradient {
            let grad = Tensor(uninitializedShape: inputShape)
            // The product with the weight the other way round: dx = dy·W for x·Wᵀ, dy·Wᵀ for x·W.
            BFloat16GEMM.run(x: g.data, m: rows, weight: weight, transposed: !transposed, y: grad.data)
            gx = grad
        }
        guard let bias else { return [gx] }
        return [gx, bias.requiresGrad ? g.sumToShape(bias.shape) : nil]
    }
}
