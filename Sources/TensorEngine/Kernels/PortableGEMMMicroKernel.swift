extension PortableGEMM {
    /// The register-blocked inner kernel: a `rows` × `columns` tile of C accumulated in SIMD registers.
    ///
    /// 6 × 16 keeps the tile in 12 AVX2 registers (6 with AVX-512, 24 with NEON's 128-bit ones) with room for the B
    /// row and the broadcast A value, and each step is 6 broadcasts and 6 SIMD16 fused multiply-adds per 64 bytes of
    /// B: enough arithmetic per load to run at the FMA units' rate rather than the loads'.
    enum MicroKernel {
        static let rows = 6
        static let columns = 16
        /// The tile's row: 16 floats at every build width (one AVX-512 register, two AVX2 ones), not `RowVector`.
        typealias V = SIMD16<Float>

        @inline(__always)
        static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }

        @inline(__always)
        static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
        }

        /// C[0..<rows, 0..<cols] = A panel · B panel + beta · C, from an A panel packed `rows` values per depth step
        /// and a B panel packed `columns` values per depth step (both zero-padded). Partial tiles go through `edge`
        /// (`rows × columns` floats) so the vector loop never reads or writes outside C.
        static func tile(
            depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
            rows: Int, cols: Int, beta: Float, edge: UnsafeMutablePointer<Float>
        ) {
            var c0 = V.zero, c1 = V.zero, c2 = V.zero, c3 = V.zero, c4 = V.zero, c5 = V.zero
            var ap = a, bp = b
            for _ in 0..<depth {
                let bv = load(bp)
                c0 = c0.plusProduct(V(repeating: ap[0]), bv)
                c1 = c1.plusProduct(V(repeating: ap[1]), bv)
                c2 = c2.plusProduct(V(repeating: ap[2]), bv)
                c3 = c3.plusProduct(V(repeating: ap[3]), bv)
                c4 = c4.plusProduct(V(repeating: ap[4]), bv)
                c5 = c5.plusProduct(V(repeating: ap[5]), bv)
                ap += Self.rows
                bp += Self.columns
            }
            if rows == Self.rows && cols == Self.columns {
                put(c0, c, beta); put(c1, c + ldc, beta); put(c2, c + 2 * ldc, beta)
                put(c3, c + 3 * ldc, beta); put(c4, c + 4 * ldc, beta); put(c5, c + 5 * ldc, beta)
                return
            }
            let n = Self.columns
            store(c0, edge); store(c1, edge + n); store(c2, edge + 2 * n)
            store(c3, edge + 3 * n); store(c4, edge + 4 * n); store(c5, edge + 5 * n)
            for r in 0..<rows {
                let dst = c + r * ldc, src = edge + r * n
                for j in 0..<cols {
                    dst[j] = beta == 0 ? src[j] : beta == 1 ? dst[j] + src[j] : beta * dst[j] + src[j]
                }
            }
        }

        /// One full row of the tile into C: beta 0 overwrites (C may be uninitialised), 1 adds, else scales first.
        @inline(__always)
        private static func put(_ acc: V, _ dst: UnsafeMutablePointer<Float>, _ beta: Float) {
            if beta == 0 {
                store(acc, dst)
            } else if beta == 1 {
                store(load(dst) + acc, dst)
            } else {
                store(acc.plusProduct(V(repeating: beta), load(dst)), dst)
            }
        }
    }
}
