import Parallelism

/// Products of a few Float32 rows (m ≤ `BFloat16GEMM.directRowLimit`) with a bfloat16 weight W [R, C], widened in
/// registers: decoding is bound by how fast W streams from memory, and bfloat16 halves that stream.
///
/// Both kernels read W in its stored layout, two vectors' worth at a time (32 values with 16-wide row vectors, 16 with
/// 8-wide) through `BFloat16.loadPairs`, which yields the even- and the odd-position values as two vectors; each
/// kernel arranges its other operand to match instead of shuffling W. Rows of x go four at a time, so W is streamed
/// once per four rows.
enum BFloat16SkinnyGEMM {
    typealias V = RowVector

    /// y [m, R] = x [m, C]·Wᵀ: one dot product per (row of x, row of W).
    static func dot(
        m: Int, rows: Int, columns: Int, x: UnsafePointer<Float>, w: UnsafePointer<UInt16>,
        y: UnsafeMutablePointer<Float>, parallel: Bool
    ) {
        // x with each block of `block` values split into its even then its odd positions, so a block of W (split the
        // same way by loadPairs) multiplies it lane by lane. The tail past the last whole block stays in x.
        let block = VectorMath.pairWidth, half = block / 2
        let blocks = columns / block, split = blocks * block
        let pairs = TensorStorage(count: max(m * split, 1))
        for i in 0..<m {
            let src = x + i * columns, dst = pairs.pointer + i * split
            for b in 0..<blocks {
                for q in 0..<half {
                    dst[block * b + q] = src[block * b + 2 * q]
                    dst[block * b + half + q] = src[block * b + 2 * q + 1]
                }
            }
        }
        let xp = UnsafePointer(pairs.pointer)
        let body: (Range<Int>) -> Void = { outputs in
            for j in outputs {
                let row = w + j * columns
                var i0 = 0
                while i0 < m {
                    // Rows past m repeat the last row; their results are not stored.
                    let i1 = min(i0 + 1, m - 1), i2 = min(i0 + 2, m - 1), i3 = min(i0 + 3, m - 1)
                    let p0 = xp + i0 * split, p1 = xp + i1 * split, p2 = xp + i2 * split, p3 = xp + i3 * split
                    var e0 = V.zero, o0 = V.zero, e1 = V.zero, o1 = V.zero
                    var e2 = V.zero, o2 = V.zero, e3 = V.zero, o3 = V.zero
                    // Loop-invariant tests on the live rows (LLVM unswitches them): one row does one row's work.
                    let live = min(4, m - i0)
                    for b in stride(from: 0, to: split, by: block) {
                        let (even, odd) = BFloat16.loadPairs(row + b)
                        e0 = e0.plusProduct(VectorMath.load(p0 + b), even)
                        o0 = o0.plusProduct(VectorMath.load(p0 + b + half), odd)
                        if live > 1 {
                            e1 = e1.plusProduct(VectorMath.load(p1 + b), even)
                            o1 = o1.plusProduct(VectorMath.load(p1 + b + half), odd)
                        }
                        if live > 2 {
                            e2 = e2.plusProduct(VectorMath.load(p2 + b), even)
                            o2 = o2.plusProduct(VectorMath.load(p2 + b + half), odd)
                            e3 = e3.plusProduct(VectorMath.load(p3 + b), even)
                            o3 = o3.plusProduct(VectorMath.load(p3 + b + half), odd)
                        }
                    }
                    let sums = SIMD4((e0 + o0).sum(), (e1 + o1).sum(), (e2 + o2).sum(), (e3 + o3).sum())
                    for r in 0..<live {
                        var s = sums[r]
                        let xi = x + (i0 + r) * columns
                        for p in split..<columns { s += xi[p] * BFloat16.float(row[p]) }
                        y[(i0 + r) * rows + j] = s
                    }
                    i0 += 4
                }
            }
        }
        if parallel { Parallel.forRanges(rows, grain: max(16, 65_536 / columns), body) } else { body(0..<rows) }
    }

    /// y [m, C] = x [m, R]·W: each row of W, a panel of `VectorMath.pairWidth` columns at a time, scaled by x[i, p]
    /// into four rows of results held in registers as even and odd columns, interleaved again when stored.
    static func axpy(
        m: Int, rows: Int, columns: Int, x: UnsafePointer<Float>, w: UnsafePointer<UInt16>,
        y: UnsafeMutablePointer<Float>, parallel: Bool
    ) {
        let width = VectorMath.pairWidth, half = width / 2
        let panels = (columns + width - 1) / width
        let body: (Range<Int>) -> Void = { range in
            for panel in range {
                let j = panel * width
                if j + width > columns {
                    tail(from: j, m: m, rows: rows, columns: columns, x: x, w: w, y: y)
                    continue
                }
                var i0 = 0
                while i0 < m {
                    let a0 = x + i0 * rows, a1 = x + min(i0 + 1, m - 1) * rows
                    let a2 = x + min(i0 + 2, m - 1) * rows, a3 = x + min(i0 + 3, m - 1) * rows
                    var e0 = V.zero, o0 = V.zero, e1 = V.zero, o1 = V.zero
                    var e2 = V.zero, o2 = V.zero, e3 = V.zero, o3 = V.zero
                    var bp = w + j
                    // As in `dot`: the tests on the live rows are loop-invariant.
                    let live = min(4, m - i0)
                    for p in 0..<rows {
                        let (even, odd) = BFloat16.loadPairs(bp)
                        var s = V(repeating: a0[p]); e0 = e0.plusProduct(s, even); o0 = o0.plusProduct(s, odd)
                        if live > 1 {
                            s = V(repeating: a1[p]); e1 = e1.plusProduct(s, even); o1 = o1.plusProduct(s, odd)
                        }
                        if live > 2 {
                            s = V(repeating: a2[p]); e2 = e2.plusProduct(s, even); o2 = o2.plusProduct(s, odd)
                            s = V(repeating: a3[p]); e3 = e3.plusProduct(s, even); o3 = o3.plusProduct(s, odd)
                        }
                        bp += columns
                    }
                    func store(_ r: Int, _ even: V, _ odd: V) {
                        guard i0 + r < m else { return }
                        let out = y + (i0 + r) * columns + j
                        for q in 0..<half { out[2 * q] = even[q]; out[2 * q + 1] = odd[q] }
                    }
                    store(0, e0, o0); store(1, e1, o1); store(2, e2, o2); store(3, e3, o3)
                    i0 += 4
                }
            }
        }
        // Whole panels per thread, split by work (see SkinnyGEMM.run).
        if parallel { Parallel.forRanges(panels, grain: max(1, 2_048 / rows), body) } else { body(0..<panels) }
    }

    /// Columns `from..<columns` (fewer than a panel) of y = x·W, one value at a time.
    private static func tail(
        from first: Int, m: Int, rows: Int, columns: Int, x: UnsafePointer<Float>, w: UnsafePointer<UInt16>,
        y: UnsafeMutablePointer<Float>
    ) {
        for i in 0..<m {
            for j in first..<columns {
                var s: Float = 0
                for p in 0..<rows { s += x[i * rows + p] * BFloat16.float(w[p * columns + j]) }
                y[i * columns + j] = s
            }
        }
    }
}
