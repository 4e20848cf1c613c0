import Parallelism

/// Products of Float32 rows with a bfloat16 weight W [R, C] (row-major), accumulated in Float32:
/// `y = x·Wᵀ` (`transposed`: x [m, C] → y [m, R]) or `y = x·W` (x [m, R] → y [m, C]).
///
/// Many rows (training, scoring, prefill) widen W a tile at a time into a per-thread Float32 scratch and hand each
/// tile to `GEMM.sgemm`: widening is O(R·C) against O(m·R·C) multiply-adds, so the product runs at Float32 GEMM speed
/// while only the tile, never a full copy of W, exists in Float32. A few rows (decoding) would spend as long widening
/// as multiplying, so they go to `BFloat16SkinnyGEMM`, which widens in registers and streams W once per four rows.
/// Where the CPU has AVX512_BF16, every row count goes to `BFloat16DotGEMM` instead (`BFloat16Products`); decoding
/// multiplies bf16 panels (`PackedMatrix`) exactly either way.
enum BFloat16GEMM {
    /// Row counts up to this go to the register kernels; the tiled path's widening pays for itself above it.
    static let directRowLimit = 16

    /// Values in one thread's Float32 tile of W (1 MB): large enough for sgemm to run near its peak, small enough to
    /// stay in the last-level cache.
    static let tileBudget = 1 << 18

    /// Writes all of y [m, R] (`transposed`) or [m, C]; `y` must not overlap `x`.
    static func run(
        x: UnsafePointer<Float>, m: Int, weight: BFloat16Matrix, transposed: Bool, y: UnsafeMutablePointer<Float>
    ) {
        let (r, c) = (weight.rows, weight.columns)
        let (k, n) = transposed ? (c, r) : (r, c)
        if m == 0 || n == 0 { return }
        if k == 0 {
            y.update(repeating: 0, count: m * n)
            return
        }
        let w = weight.pointer
        let parallel = Parallel.workerCount > 1 && m * n * k >= GEMM.parallelThreshold
        if BFloat16Products.current == .bfloat16Dot {
            // Every row count takes `vdpbf16ps`, so that a row's product does not depend on how many rows share the
            // call (ranks that split a batch, micro-batches) through the choice of kernel.
            BFloat16DotGEMM.run(
                x: x, m: m, k: k, n: n, weight: weight, transposed: transposed, y: y, parallel: parallel)
        } else if m <= directRowLimit {
            if transposed {
                BFloat16SkinnyGEMM.dot(m: m, rows: r, columns: c, x: x, w: w, y: y, parallel: parallel)
            } else {
                BFloat16SkinnyGEMM.axpy(m: m, rows: r, columns: c, x: x, w: w, y: y, parallel: parallel)
            }
        } else if transposed {
            tiledTransposed(m: m, rows: r, columns: c, x: x, w: w, y: y, parallel: parallel)
        } else {
            tiledPlain(m: m, rows: r, columns: c, x: x, w: w, y: y, parallel: parallel)
        }
    }

    /// y [m, R] = x [m, C]·Wᵀ. Threads take disjoint ranges of W's rows (outputs); each widens whole rows of W, a
    /// tile at a time, and multiplies them on its own core.
    private static func tiledTransposed(
        m: Int, rows: Int, columns: Int, x: UnsafePointer<Float>, w: UnsafePointer<UInt16>,
        y: UnsafeMutablePointer<Float>, parallel: Bool
    ) {
        // At least 64 rows per tile: every sgemm call packs x again, so narrow tiles would repeat that work.
        let tileRows = max(64, min(256, tileBudget / columns)) / 16 * 16
        let body: (Range<Int>, Bool) -> Void = { range, parallelGEMM in
            let scratch = TensorStorage(count: min(tileRows, range.count) * columns)
            var r0 = range.lowerBound
            while r0 < range.upperBound {
                let r1 = min(r0 + tileRows, range.upperBound)
                BFloat16.widen(w + r0 * columns, scratch.pointer, count: (r1 - r0) * columns)
                GEMM.sgemm(
                    transA: false, transB: true, m: m, n: r1 - r0, k: columns, a: x, lda: columns,
                    b: scratch.pointer, ldb: columns, c: y + r0, ldc: rows, parallel: parallelGEMM)
                r0 = r1
            }
        }
        splitOutputs(rows, parallel: parallel, body)
    }

    /// y [m, C] = x [m, R]·W. Threads take disjoint ranges of W's columns (outputs); each widens blocks of 256 rows ×
    /// 512 columns and accumulates their products into its columns of y.
    private static func tiledPlain(
        m: Int, rows: Int, columns: Int, x: UnsafePointer<Float>, w: UnsafePointer<UInt16>,
        y: UnsafeMutablePointer<Float>, parallel: Bool
    ) {
        let depth = 256, width = 512
        let body: (Range<Int>, Bool) -> Void = { range, parallelGEMM in
            let scratch = TensorStorage(count: min(depth, rows) * min(width, range.count))
            for c0 in stride(from: range.lowerBound, to: range.upperBound, by: width) {
                let c1 = min(c0 + width, range.upperBound), n = c1 - c0
                for r0 in stride(from: 0, to: rows, by: depth) {
                    let r1 = min(r0 + depth, rows)
                    for row in r0..<r1 {
                        BFloat16.widen(w + row * columns + c0, scratch.pointer + (row - r0) * n, count: n)
                    }
                    GEMM.sgemm(
                        transA: false, transB: false, m: m, n: n, k: r1 - r0, a: x + r0, lda: rows,
                        b: scratch.pointer, ldb: n, beta: r0 == 0 ? 0 : 1, c: y + c0, ldc: columns,
                        parallel: parallelGEMM)
                }
            }
        }
        splitOutputs(columns, parallel: parallel, body)
    }

    /// Runs `body` over `0..<outputs`: split between the cores (each sgemm then on one core) when there are enough
    /// outputs for each core, else in one piece with sgemm spreading over the rows of x itself.
    private static func splitOutputs(_ outputs: Int, parallel: Bool, _ body: (Range<Int>, Bool) -> Void) {
        if parallel && outputs >= 2 * 64 {
            Parallel.forRanges(outputs, grain: 64) { body($0, false) }
        } else {
            body(0..<outputs, parallel)
        }
    }
}
