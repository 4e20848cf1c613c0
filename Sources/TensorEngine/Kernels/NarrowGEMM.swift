import Foundation
import Parallelism

/// GEMM for a tall, narrow C (a few dozen columns): LoRA's low-rank products x·Aᵀ and dz·B [rows, r], as wide as the
/// adapter's rank (dzᵀ·P [out, r], whose A is transposed, stays with BLAS: `suits`).
///
/// A BLIS-style GEMM packs op(A) into panels before multiplying; with n = 16 each packed value then takes part in a
/// single vector multiply-add, so packing costs as much as the product (OpenBLAS's Haswell kernels ran these shapes at
/// 32–55 GFLOP/s per core where square products run at ~70). Here only op(B), small, is packed (with alpha folded
/// in); op(A) is read where it lies, six rows a step, each read once per `MicroKernel.columns` columns of C. On a Zen 3
/// (`rlhf bench gemm --lora-rank 16` against `RLHF_NARROW_GEMM=off`, two threads, five alternated rounds): x·Aᵀ at
/// depth 1536 47–77 → 94–115 GFLOP/s, dz·B for up 43–97 → 109–122; the joint products (32 and 48 columns) within
/// noise of BLAS.
///
/// Every value of C is one chain of fused multiply-adds over the depth in order, whatever m and however the rows are
/// split between workers: a row's result does not depend on the rows beside it.
enum NarrowGEMM {
    /// The widest C this kernel takes: LoRA's joint products reach 3 × rank (query, key and value).
    static let maxColumns = 96
    /// Below these, C or the depth is too small for the kernel to matter (attention's 64-row blocks stay with BLAS).
    static let minRows = 128
    static let minDepth = 128

    typealias Kernel = PortableGEMM.MicroKernel

    /// Whether `GEMM.sgemm` sends narrow products here: yes unless `RLHF_NARROW_GEMM=off` (then BLAS or the portable
    /// GEMM take them, as before the kernel existed; for comparing the two in one binary). Any other value stops the
    /// process with a one-line message naming the variable.
    static let enabled: Bool = {
        guard let value = ProcessInfo.processInfo.environment["RLHF_NARROW_GEMM"], !value.isEmpty else { return true }
        switch value {
        case "on": return true
        case "off": return false
        default: environmentFailure("RLHF_NARROW_GEMM", "unknown value '\(value)' (expected 'on' or 'off')")
        }
    }()

    /// Whether `GEMM.sgemm` gives C = op(A)·op(B) [m, n] with depth k to this kernel. Not for a transposed A: its six
    /// values per depth step lie in a different cache line each step, and dzᵀ·P ran at 21–23 GFLOP/s against BLAS's
    /// 27–42 (read as the transposed product instead, a row of A per step, at 20–33 against 38–42). Not in
    /// AVX-512 builds, whose 32-column tile would leave half of a rank-16 product's lanes idle (and which nothing here
    /// has measured).
    static func suits(transA: Bool, m: Int, n: Int, k: Int) -> Bool {
        !transA && Kernel.columns == 16 && n <= maxColumns && m >= minRows && k >= minDepth
    }

    /// C = alpha · op(A) · op(B) + beta · C (row-major, leading dimensions as stored; `a` is m×k, k×m if `transA`;
    /// `b` is k×n, n×k if `transB`), split over the cores by rows when `parallel` (the caller judges the size).
    static func run(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, parallel: Bool
    ) {
        let mr = Kernel.rows, nr = Kernel.columns
        let panels = (n + nr - 1) / nr
        // op(B) as `panels` blocks of k rows × nr values (zero-padded), times alpha.
        let packed = UnsafeMutablePointer<Float>.allocate(capacity: panels * k * nr)
        defer { packed.deallocate() }
        for q in 0..<panels {
            let panel = packed + q * k * nr, first = q * nr, width = min(nr, n - first)
            for p in 0..<k {
                let out = panel + p * nr
                for j in 0..<width {
                    out[j] = alpha * (transB ? b[(first + j) * ldb + p] : b[p * ldb + first + j])
                }
                for j in width..<nr { out[j] = 0 }
            }
        }
        // A's value (row r, depth p) is at r · rowStride + p · depthStride.
        let (rowStride, depthStride) = transA ? (1, lda) : (lda, 1)
        let tiles = (m + mr - 1) / mr
        let body: (Range<Int>) -> Void = { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: mr * nr) { edge in
                for t in range {
                    let i = t * mr, rows = min(mr, m - i)
                    for q in 0..<panels {
                        tile(
                            depth: k, a: a + i * rowStride, rowStride: rowStride, depthStride: depthStride,
                            b: UnsafePointer(packed + q * k * nr), c: c + i * ldc + q * nr, ldc: ldc, rows: rows,
                            cols: min(nr, n - q * nr), beta: beta, edge: edge.baseAddress!)
                    }
                }
            }
        }
        if parallel && Parallel.workerCount > 1 {
            Parallel.forRanges(tiles, grain: 4, body)
        } else {
            body(0..<tiles)
        }
    }

    /// C[0..<rows, 0..<cols] = A rows · B panel + beta · C, A read in place (rows past `rows` read the last row
    /// again, and are not written).
    @inline(__always)
    private static func tile(
        depth: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int, beta: Float, edge: UnsafeMutablePointer<Float>
    ) {
        let o1 = min(1, rows - 1) * rowStride, o2 = min(2, rows - 1) * rowStride
        let o3 = min(3, rows - 1) * rowStride, o4 = min(4, rows - 1) * rowStride
        let o5 = min(5, rows - 1) * rowStride
        var c0 = Kernel.V.zero, c1 = Kernel.V.zero, c2 = Kernel.V.zero
        var c3 = Kernel.V.zero, c4 = Kernel.V.zero, c5 = Kernel.V.zero
        var ap = a, bp = b
        for _ in 0..<depth {
            let bv = Kernel.load(bp)
            c0 = Kernel.multiplyAdd(c0, ap[0], bv)
            c1 = Kernel.multiplyAdd(c1, ap[o1], bv)
            c2 = Kernel.multiplyAdd(c2, ap[o2], bv)
            c3 = Kernel.multiplyAdd(c3, ap[o3], bv)
            c4 = Kernel.multiplyAdd(c4, ap[o4], bv)
            c5 = Kernel.multiplyAdd(c5, ap[o5], bv)
            ap += depthStride
            bp += Kernel.columns
        }
        Kernel.write(c0, c1, c2, c3, c4, c5, c: c, ldc: ldc, rows: rows, cols: cols, beta: beta, edge: edge)
    }
}
