import Parallelism

/// A batch of GEMMs with one shape; a stride of 0 repeats one operand for every batch entry.
struct BatchedGEMM {
    var transA: Bool, transB: Bool
    var m: Int, n: Int, k: Int
    var batch: Int

    /// C[i] = op(A[i])·op(B[i]) for each batch entry, or summed into one C when `strideC` is 0.
    func run(
        a: UnsafePointer<Float>, strideA: Int, b: UnsafePointer<Float>, strideB: Int,
        c: UnsafeMutablePointer<Float>, strideC: Int
    ) {
        let lda = transA ? m : k, ldb = transB ? k : n
        if strideC == 0 || batch < Parallel.workerCount {
            // Entries run one after another, each spread over the cores; a shared C accumulates.
            for i in 0..<batch {
                GEMM.sgemm(
                    transA: transA, transB: transB, m: m, n: n, k: k,
                    a: a + i * strideA, lda: lda, b: b + i * strideB, ldb: ldb,
                    beta: strideC == 0 && i > 0 ? 1 : 0, c: c + i * strideC, ldc: n)
            }
            return
        }
        Parallel.forRanges(batch) { r in
            for i in r {
                GEMM.sgemm(
                    transA: transA, transB: transB, m: m, n: n, k: k,
                    a: a + i * strideA, lda: lda, b: b + i * strideB, ldb: ldb,
                    c: c + i * strideC, ldc: n, parallel: false)
            }
        }
    }
}

/// Matrix product of the last two axes, batched over the leading ones.
///
/// `a` is [..., m, k] (or [..., k, m] with `transposeA`), `b` is [..., k, n] (or [..., n, k] with `transposeB`);
/// the transposed operand is read in place, never materialised. A rank-2 `b` is shared by every batch entry of `a`
/// (the layer case: activations × weight); otherwise the batch axes must be equal, or one side rank 2.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    let op = "matmul"
    func fail() -> Never {
        engineFailure(
            op, "shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "") are incompatible")
    }
    if a.rank < 2 || b.rank < 2 { fail() }
    let m = transposeA ? a.shape[a.rank - 1] : a.shape[a.rank - 2]
    let k = transposeA ? a.shape[a.rank - 2] : a.shape[a.rank - 1]
    let kb = transposeB ? b.shape[b.rank - 1] : b.shape[b.rank - 2]
    let n = transposeB ? b.shape[b.rank - 2] : b.shape[b.rank - 1]
    if k != kb { fail() }
    let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
    let outBatch: [Int]
    if batchA == batchB || batchB.isEmpty {
        outBatch = batchA
    } else if batchA.isEmpty {
        outBatch = batchB
    } else {
        fail()
    }
    let batch = outBatch.reduce(1, *)
    let out = Tensor(uninitializedShape: outBatch + [m, n])
    let strideA = batchA.isEmpty ? 0 : m * k, strideB = batchB.isEmpty ? 0 : k * n

    // A rank-2 right operand under an untransposed left one: fold the batch into M for one large GEMM.
    let foldBatch = batchB.isEmpty && !transposeA
    if foldBatch {
        BatchedGEMM(transA: false, transB: transposeB, m: batch * m, n: n, k: k, batch: 1)
            .run(a: a.data, strideA: 0, b: b.data, strideB: 0, c: out.data, strideC: 0)
    } else {
        BatchedGEMM(transA: transposeA, transB: transposeB, m: m, n: n, k: k, batch: batch)
            .run(a: a.data, strideA: strideA, b: b.data, strideB: strideB, c: out.data, strideC: m * n)
    }

    return Tensor.record(op, [a, b], out, readsResult: false) { g in
        var ga: Tensor? = nil, gb: Tensor? = nil
        let rowsA = foldBatch ? batch * m : m, batches = foldBatch ? 1 : batch
        let gStride = foldBatch ? 0 : m * n
        if a.requiresGrad {
            let grad = Tensor(uninitializedShape: a.shape)
            // dA = dC·op(B)ᵀ, or its transpose when A was read transposed.
            if transposeA {
                BatchedGEMM(transA: transposeB, transB: true, m: k, n: m, k: n, batch: batches)
                    .run(a: b.data, strideA: strideB, b: g.data, strideB: gStride, c: grad.data, strideC: strideA)
            } else {
                BatchedGEMM(transA: false, transB: !transposeB, m: rowsA, n: k, k: n, batch: batches)
                    .run(a: g.data, strideA: gStride, b: b.data, strideB: strideB, c: grad.data, strideC: strideA)
            }
            ga = grad
        }
        if b.requiresGrad {
            let grad = Tensor(uninitializedShape: b.shape)
            // dB = op(A)ᵀ·dC, or its transpose when B was read transposed; summed over batch when B is shared.
            if transposeB {
                BatchedGEMM(transA: true, transB: transposeA, m: n, n: k, k: rowsA, batch: batches)
                    .run(a: g.data, strideA: gStride, b: a.data, strideB: strideA, c: grad.data, strideC: strideB)
            } else {
                BatchedGEMM(transA: !transposeA, transB: false, m: k, n: n, k: rowsA, batch: batches)
                    .run(a: a.data, strideA: strideA, b: g.data, strideB: gStride, c: grad.data, strideC: strideB)
            }
            gb = grad
        }
        return [ga, gb]
    }
}

/// A dense layer in PyTorch's layout: x·Wᵀ + b with `weight` [out, in] and optional `bias` [out].
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
    let y = matmul(x, weight, transposeB: true)
    guard let bias else { return y }
    return y + bias
}
