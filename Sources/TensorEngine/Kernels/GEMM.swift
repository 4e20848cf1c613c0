import Parallelism

/// Row-major single-precision matrix multiply, C = alpha · op(A) · op(B) + beta · C, where op transposes when asked.
/// Dispatches a few rows to `SkinnyGEMM`, a narrow C (LoRA's low-rank products) to `NarrowGEMM`, the rest to OpenBLAS
/// when present, else to the portable Swift kernel; large products are split over cores.
public enum GEMM {
    /// Which implementation runs: "openblas (<core>)" or "portable".
    public static var backend: String {
        if let lib = OpenBLAS.library { return "openblas \(lib.coreName)" }
        return "portable"
    }

    /// Products below this many multiply-adds run on one core: splitting costs more than it gains.
    static let parallelThreshold = 1 << 18

    /// - Parameters: `a` is m×k (k×m if `transA`), `b` is k×n (n×k if `transB`); leading dimensions are the row
    ///   lengths as stored. `parallel: false` when the caller already runs on several cores.
    static func sgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, parallel: Bool = true
    ) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            for i in 0..<m {
                let row = c + i * ldc
                if beta == 0 { row.update(repeating: 0, count: n) } else { VectorMath.scale(row, n, by: beta) }
            }
            return
        }
        if m <= SkinnyGEMM.maxRows && !transA {
            SkinnyGEMM.run(
                transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                beta: beta, c: c, ldc: ldc, parallel: parallel && m * n * k >= parallelThreshold)
            return
        }
        if NarrowGEMM.enabled && NarrowGEMM.suits(transA: transA, m: m, n: n, k: k) {
            NarrowGEMM.run(
                transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                beta: beta, c: c, ldc: ldc, parallel: parallel && m * n * k >= parallelThreshold)
            return
        }
        let chunks = parallel && m * n * k >= parallelThreshold ? Parallel.workerCount : 1
        guard let lib = OpenBLAS.library else {
            // The portable kernel splits its own work, sharing packed panels of B between the workers.
            PortableGEMM.run(
                transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, workers: chunks)
            return
        }
        if chunks <= 1 {
            kernel(lib, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        // Split the longer side of C; each piece is an independent, contiguous-enough GEMM.
        if m >= n {
            Parallel.forRanges(m, grain: 16) { r in
                let aOff = transA ? a + r.lowerBound : a + r.lowerBound * lda
                kernel(lib, transA, transB, r.count, n, k, alpha, aOff, lda, b, ldb, beta, c + r.lowerBound * ldc, ldc)
            }
        } else {
            Parallel.forRanges(n, grain: 16) { r in
                let bOff = transB ? b + r.lowerBound * ldb : b + r.lowerBound
                kernel(lib, transA, transB, m, r.count, k, alpha, a, lda, bOff, ldb, beta, c + r.lowerBound, ldc)
            }
        }
    }

    @inline(__always)
    private static func kernel(
        _ lib: OpenBLAS.Library, _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        lib.sgemm(
            101, transA ? 112 : 111, transB ? 112 : 111, Int32(m), Int32(n), Int32(k), alpha,
            a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
