import Parallelism

/// A portable BLIS-style GEMM in Swift SIMD, used when OpenBLAS is not installed.
///
/// C is computed in blocks so each operand is read from the cache level it fits in: a `depthBlock` × `columnBlock`
/// block of op(B) is packed once into `MicroKernel.columns`-wide panels (it stays in L3), a `rowBlock` × `depthBlock`
/// block of op(A) into `MicroKernel.rows`-high panels per worker (L2), and the micro-kernel multiplies one A panel by
/// one B panel (L1) into a register tile of C. Packing makes every inner-loop read contiguous whatever the
/// transposes, and folds `alpha` into A. Workers share the packed B block and split C's rows (or columns, when C is
/// wide) between them.
enum PortableGEMM {
    /// Depth of a packed block: a 16-column B panel of this depth is 16 KB, half a typical L1.
    static let depthBlock = 256
    /// Rows of A packed per block (a multiple of `MicroKernel.rows`): 144 × 256 floats is 144 KB, within L2.
    static let rowBlock = 144
    /// Columns of B packed per block (a multiple of `MicroKernel.columns`): 256 × 3072 floats is 3 MB, within L3.
    static let columnBlock = 3072

    /// C = alpha · op(A) · op(B) + beta · C (row-major, leading dimensions as stored), on up to `workers` threads.
    static func run(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, workers requested: Int = 1
    ) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            for i in 0..<m { scaleRow(c + i * ldc, n, beta: beta) }
            return
        }
        let mr = MicroKernel.rows, nr = MicroKernel.columns
        let workers = max(1, min(requested, Parallel.workerCount))
        let depth = min(depthBlock, k)
        let width = min(columnBlock, (n + nr - 1) / nr * nr)
        let packedB = UnsafeMutablePointer<Float>.allocate(capacity: depth * width)
        // A packed A block and an edge tile per worker; small products get small buffers (malloc, not mmap).
        let blockRows = min(rowBlock, (m + mr - 1) / mr * mr)
        let perWorker = blockRows * depth + mr * nr
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: workers * perWorker)
        defer { packedB.deallocate(); scratch.deallocate() }
        let operands = Operands(transA: transA, transB: transB, a: a, lda: lda, b: b, ldb: ldb, alpha: alpha)

        var jc = 0
        while jc < n {
            let cols = min(columnBlock, n - jc)
            let panels = (cols + nr - 1) / nr
            let tiles = (m + mr - 1) / mr
            var pc = 0
            while pc < k {
                let kb = min(depthBlock, k - pc)
                // The first depth block applies beta to C; later ones add to it.
                let blockBeta: Float = pc == 0 ? beta : 1
                Parallel.run(workers: min(workers, panels)) { w in
                    let share = split(panels, w, min(workers, panels))
                    operands.packB(packedB, panels: share, jc: jc, cols: cols, pc: pc, kb: kb)
                }
                // Split C along its longer side in whole tiles and panels.
                let byRows = tiles * mr >= cols
                let parts = min(workers, byRows ? tiles : panels)
                Parallel.run(workers: parts) { w in
                    let rowTiles = byRows ? split(tiles, w, parts) : 0..<tiles
                    let colPanels = byRows ? 0..<panels : split(panels, w, parts)
                    let own = scratch + w * perWorker
                    var i0 = rowTiles.lowerBound * mr
                    let iEnd = min(m, rowTiles.upperBound * mr)
                    while i0 < iEnd {
                        let rows = min(blockRows, iEnd - i0)
                        operands.packA(own, i0: i0, rows: rows, pc: pc, kb: kb)
                        for q in colPanels {
                            let j = q * nr
                            let bPanel = UnsafePointer(packedB + q * nr * kb)
                            var r = 0
                            while r < rows {
                                MicroKernel.tile(
                                    depth: kb, a: UnsafePointer(own + r * kb), b: bPanel,
                                    c: c + (i0 + r) * ldc + jc + j, ldc: ldc, rows: min(mr, rows - r),
                                    cols: min(nr, cols - j), beta: blockBeta, edge: own + blockRows * depth)
                                r += mr
                            }
                        }
                        i0 += rows
                    }
                }
                pc += kb
            }
            jc += cols
        }
    }

    /// Part `index` of `0..<count` split into `parts` nearly equal consecutive ranges.
    @inline(__always)
    static func split(_ count: Int, _ index: Int, _ parts: Int) -> Range<Int> {
        (count * index / parts)..<(count * (index + 1) / parts)
    }

    /// row = beta · row, where beta = 0 writes zeros (C may hold uninitialised memory).
    static func scaleRow(_ row: UnsafeMutablePointer<Float>, _ n: Int, beta: Float) {
        if beta == 0 { row.update(repeating: 0, count: n) } else if beta != 1 { VectorMath.scale(row, n, by: beta) }
    }
}
