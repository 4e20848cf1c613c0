extension PortableGEMM {
    /// The register-blocked inner kernel: a `rows` × `columns` tile of C accumulated in SIMD registers.
    ///
    /// 6 × 16 keeps the tile in 12 AVX2 registers (24 with NEON's 128-bit ones) with room for the B row and the
    /// broadcast A value, and each step is 6 broadcasts and 6 SIMD16 fused multiply-adds per 64 bytes of B: enough
    /// arithmetic per load to run at the FMA units' rate rather than the loads'. AVX-512 has 32 registers, so builds
    /// that target it (`RLHF_TARGET_AVX512`) widen the tile to 6 × 32 (12 registers): twice the arithmetic per
    /// broadcast. On a 2-core Zen 5 at n = 1024: 294–322 → 331–378 GFLOP/s, 84–94% of OpenBLAS's AVX-512 kernel.
    enum MicroKernel {
        static let rows = 6
        #if RLHF_TARGET_AVX512
        static let columns = 32
        /// The tile's row: two AVX-512 registers. (SIMD32<Float> is not lowered to them: it ran at 0.8 GFLOP/s.)
        typealias V = RegisterPair
        #else
        static let columns = 16
        /// The tile's row: 16 floats at every other build width (two AVX2 registers), not `RowVector`.
        typealias V = SIMD16<Float>

        @inline(__always)
        static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }

        @inline(__always)
        static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
        }

        /// acc + a·b (a broadcast).
        @inline(__always)
        static func multiplyAdd(_ acc: V, _ a: Float, _ b: V) -> V { acc.plusProduct(V(repeating: a), b) }
        #endif

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
                c0 = multiplyAdd(c0, ap[0], bv)
                c1 = multiplyAdd(c1, ap[1], bv)
                c2 = multiplyAdd(c2, ap[2], bv)
                c3 = multiplyAdd(c3, ap[3], bv)
                c4 = multiplyAdd(c4, ap[4], bv)
                c5 = multiplyAdd(c5, ap[5], bv)
                ap += Self.rows
                bp += Self.columns
            }
            write(c0, c1, c2, c3, c4, c5, c: c, ldc: ldc, rows: rows, cols: cols, beta: beta, edge: edge)
        }

        /// The tile's six rows into C[0..<rows, 0..<cols] with beta (partial tiles through `edge`).
        @inline(__always)
        static func write(
            _ c0: V, _ c1: V, _ c2: V, _ c3: V, _ c4: V, _ c5: V, c: UnsafeMutablePointer<Float>, ldc: Int,
            rows: Int, cols: Int, beta: Float, edge: UnsafeMutablePointer<Float>
        ) {
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
                store(multiplyAdd(acc, beta, load(dst)), dst)
            }
        }
    }

    #if RLHF_TARGET_AVX512
    /// 32 floats as two 16-float vectors, kept in two AVX-512 registers.
    struct RegisterPair {
        var low: SIMD16<Float>
        var high: SIMD16<Float>

        static var zero: RegisterPair { RegisterPair(low: .zero, high: .zero) }

        static func + (a: RegisterPair, b: RegisterPair) -> RegisterPair {
            RegisterPair(low: a.low + b.low, high: a.high + b.high)
        }
    }
    #endif
}

#if RLHF_TARGET_AVX512
extension PortableGEMM.MicroKernel {
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V {
        V(
            low: UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self),
            high: UnsafeRawPointer(p + 16).loadUnaligned(as: SIMD16<Float>.self))
    }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v.low, as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(p + 16).storeBytes(of: v.high, as: SIMD16<Float>.self)
    }

    /// acc + a·b (a broadcast); every AVX-512 CPU has FMA.
    @inline(__always)
    static func multiplyAdd(_ acc: V, _ a: Float, _ b: V) -> V {
        let x = SIMD16<Float>(repeating: a)
        return V(low: acc.low.addingProduct(x, b.low), high: acc.high.addingProduct(x, b.high))
    }
}
#endif
