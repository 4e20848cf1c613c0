import Parallelism

/// GEMM for a few rows of A (m ≤ 8): decoding one token per sequence multiplies a handful of rows by a large
/// weight matrix. BLAS packs the whole weight matrix into its own layout first, which costs more than the product;
/// here each weight row is streamed once and multiplied into every row of A while it is in registers.
enum SkinnyGEMM {
    static let maxRows = 8
    typealias V = RowVector

    /// C = alpha·A·op(B) + beta·C for row-major A [m, k] (not transposed), m ≤ `maxRows`.
    static func run(
        transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, parallel: Bool
    ) {
        if transB {
            let body: (Range<Int>) -> Void = { cols in
                dotColumns(cols, m: m, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            }
            if parallel { Parallel.forRanges(n, grain: max(16, 65_536 / max(k, 1)), body) } else { body(0..<n) }
            return
        }
        // Split in whole tiles (the vector kernel's width) so no thread falls back to the scalar tail, and by work
        // rather than columns: a [1536, 384] weight has few columns but as much work as a [384, 1536] one.
        let tile = VectorMath.pairWidth
        let panels = (n + tile - 1) / tile
        let body: (Range<Int>) -> Void = { r in
            axpyColumns(
                (r.lowerBound * tile)..<min(n, r.upperBound * tile), m: m, k: k, alpha: alpha, a: a, lda: lda,
                b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
        if parallel { Parallel.forRanges(panels, grain: max(1, 2_048 / max(k, 1)), body) } else { body(0..<panels) }
    }

    /// B stored [n, k]: C[i, j] = alpha·⟨A[i], B[j]⟩ + beta·C[i, j]; each B row is read once for all rows of A.
    @inline(__always)
    private static func dotColumns(
        _ cols: Range<Int>, m: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let width = V.scalarCount
        let vectorEnd = k / width * width
        for j in cols {
            let row = b + j * ldb
            var acc = (V.zero, V.zero, V.zero, V.zero, V.zero, V.zero, V.zero, V.zero)
            var p = 0
            while p < vectorEnd {
                let bv = VectorMath.load(row + p)
                acc.0 = acc.0.plusProduct(VectorMath.load(a + p), bv)
                if m > 1 { acc.1 = acc.1.plusProduct(VectorMath.load(a + lda + p), bv) }
                if m > 2 { acc.2 = acc.2.plusProduct(VectorMath.load(a + 2 * lda + p), bv) }
                if m > 3 { acc.3 = acc.3.plusProduct(VectorMath.load(a + 3 * lda + p), bv) }
                if m > 4 { acc.4 = acc.4.plusProduct(VectorMath.load(a + 4 * lda + p), bv) }
                if m > 5 { acc.5 = acc.5.plusProduct(VectorMath.load(a + 5 * lda + p), bv) }
                if m > 6 { acc.6 = acc.6.plusProduct(VectorMath.load(a + 6 * lda + p), bv) }
                if m > 7 { acc.7 = acc.7.plusProduct(VectorMath.load(a + 7 * lda + p), bv) }
                p += width
            }
            for i in 0..<m {
                let lane: V
                switch i {
                case 0: lane = acc.0
                case 1: lane = acc.1
                case 2: lane = acc.2
                case 3: lane = acc.3
                case 4: lane = acc.4
                case 5: lane = acc.5
                case 6: lane = acc.6
                default: lane = acc.7
                }
                var s = lane.sum()
                let ai = a + i * lda
                for q in vectorEnd..<k { s += ai[q] * row[q] }
                let out = c + i * ldc + j
                out.pointee = beta == 0 ? alpha * s : alpha * s + beta * out.pointee
            }
        }
    }

    /// B stored [k, n]: C[i, cols] = alpha·Σ_p A[i, p]·B[p, cols] + beta·C[i, cols]. Four rows × two vectors of C
    /// stay in eight vector registers while B's rows stream past; more rows take further passes.
    @inline(__always)
    private static func axpyColumns(
        _ cols: Range<Int>, m: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let half = V.scalarCount, tile = VectorMath.pairWidth
        var j = cols.lowerBound
        while j + tile <= cols.upperBound {
            var i0 = 0
            while i0 < m {
                // Rows past m repeat the last row; their results are not stored.
                let r1 = min(i0 + 1, m - 1), r2 = min(i0 + 2, m - 1), r3 = min(i0 + 3, m - 1)
                let a0 = a + i0 * lda, a1 = a + r1 * lda, a2 = a + r2 * lda, a3 = a + r3 * lda
                var c00 = V.zero, c01 = V.zero, c10 = V.zero, c11 = V.zero
                var c20 = V.zero, c21 = V.zero, c30 = V.zero, c31 = V.zero
                var bp = b + j
                for p in 0..<k {
                    let b0 = VectorMath.load(bp), b1 = VectorMath.load(bp + half)
                    let x0 = V(repeating: a0[p]), x1 = V(repeating: a1[p]), x2 = V(repeating: a2[p]),
                        x3 = V(repeating: a3[p])
                    c00 = c00.plusProduct(x0, b0); c01 = c01.plusProduct(x0, b1)
                    c10 = c10.plusProduct(x1, b0); c11 = c11.plusProduct(x1, b1)
                    c20 = c20.plusProduct(x2, b0); c21 = c21.plusProduct(x2, b1)
                    c30 = c30.plusProduct(x3, b0); c31 = c31.plusProduct(x3, b1)
                    bp += ldb
                }
                let rows = min(4, m - i0)
                for r in 0..<rows {
                    let (lo, hi) = r == 0 ? (c00, c01) : r == 1 ? (c10, c11) : r == 2 ? (c20, c21) : (c30, c31)
                    let out = c + (i0 + r) * ldc + j
                    var r0 = lo * alpha, r1 = hi * alpha
                    if beta != 0 {
                        r0 = r0.plusProduct(VectorMath.load(out), V(repeating: beta))
                        r1 = r1.plusProduct(VectorMath.load(out + half), V(repeating: beta))
                    }
                    VectorMath.store(r0, out); VectorMath.store(r1, out + half)
                }
                i0 += 4
            }
            j += tile
        }
        for jj in j..<cols.upperBound {
            for i in 0..<m {
                var s: Float = 0
                for p in 0..<k { s += a[i * lda + p] * b[p * ldb + jj] }
                let out = c + i * ldc + jj
                out.pointee = beta == 0 ? alpha * s : alpha * s + beta * out.pointee
            }
        }
    }
}
