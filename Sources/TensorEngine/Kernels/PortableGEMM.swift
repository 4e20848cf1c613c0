/// A portable register-blocked GEMM in Swift SIMD, used when OpenBLAS is not installed.
/// Panels of B (16 columns × 256 depth) and rows of A are packed so the inner loop is four broadcast-FMAs per load.
enum PortableGEMM {
    private static let depthBlock = 256
    private static let panel = 16
    private static let rowBlock = 4

    static func run(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        typealias V = SIMD16<Float>
        for i in 0..<m {
            let row = c + i * ldc
            if beta == 0 { row.update(repeating: 0, count: n) } else if beta != 1 { VectorMath.scale(row, n, by: beta) }
        }
        let panels = (n + panel - 1) / panel
        let kc = min(depthBlock, k)
        let packedB = UnsafeMutablePointer<Float>.allocate(capacity: panels * kc * panel)
        let packedA = UnsafeMutablePointer<Float>.allocate(capacity: m * kc)
        defer { packedB.deallocate(); packedA.deallocate() }

        var p0 = 0
        while p0 < k {
            let pk = min(kc, k - p0)
            for jp in 0..<panels {
                let dst = packedB + jp * pk * panel
                for p in 0..<pk {
                    for jj in 0..<panel {
                        let j = jp * panel + jj
                        dst[p * panel + jj] = j < n ? (transB ? b[j * ldb + p0 + p] : b[(p0 + p) * ldb + j]) : 0
                    }
                }
            }
            for i in 0..<m {
                for p in 0..<pk {
                    packedA[i * pk + p] = alpha * (transA ? a[(p0 + p) * lda + i] : a[i * lda + p0 + p])
                }
            }
            var i0 = 0
            while i0 < m {
                let r1 = min(i0 + 1, m - 1), r2 = min(i0 + 2, m - 1), r3 = min(i0 + 3, m - 1)
                let a0 = packedA + i0 * pk, a1 = packedA + r1 * pk, a2 = packedA + r2 * pk, a3 = packedA + r3 * pk
                for jp in 0..<panels {
                    let bp = packedB + jp * pk * panel
                    var c0 = V.zero, c1 = V.zero, c2 = V.zero, c3 = V.zero
                    for p in 0..<pk {
                        let bv = VectorMath.load(bp + p * panel)
                        c0 += a0[p] * bv; c1 += a1[p] * bv; c2 += a2[p] * bv; c3 += a3[p] * bv
                    }
                    let j0 = jp * panel
                    let width = min(panel, n - j0)
                    let rows = min(rowBlock, m - i0)
                    for r in 0..<rows {
                        let acc = r == 0 ? c0 : r == 1 ? c1 : r == 2 ? c2 : c3
                        let dst = c + (i0 + r) * ldc + j0
                        for jj in 0..<width { dst[jj] += acc[jj] }
                    }
                }
                i0 += rowBlock
            }
            p0 += pk
        }
    }
}
