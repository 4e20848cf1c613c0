extension PortableGEMM {
    /// op(A) and op(B) as stored, and the packing of their blocks into the micro-kernel's panel layouts.
    struct Operands {
        let transA: Bool, transB: Bool
        let a: UnsafePointer<Float>, lda: Int
        let b: UnsafePointer<Float>, ldb: Int
        let alpha: Float

        /// Rows `i0 ..< i0 + rows`, depth `pc ..< pc + kb` of alpha · op(A) into `MicroKernel.rows`-high panels:
        /// panel t holds, for each depth step p, its rows' values at `t · rows · kb + p · rows + r`; missing rows
        /// are zero.
        func packA(_ dst: UnsafeMutablePointer<Float>, i0: Int, rows: Int, pc: Int, kb: Int) {
            let mr = MicroKernel.rows
            var t = 0
            while t < rows {
                let panel = dst + t * kb
                let height = min(mr, rows - t)
                if transA {
                    // Stored k × m: a depth step's rows are contiguous.
                    for p in 0..<kb {
                        let src = a + (pc + p) * lda + i0 + t, out = panel + p * mr
                        for r in 0..<height { out[r] = alpha * src[r] }
                        for r in height..<mr { out[r] = 0 }
                    }
                } else {
                    // Stored m × k: read each row contiguously, write it with stride `mr`.
                    for r in 0..<height {
                        let src = a + (i0 + t + r) * lda + pc
                        for p in 0..<kb { panel[p * mr + r] = alpha * src[p] }
                    }
                    for r in height..<mr {
                        for p in 0..<kb { panel[p * mr + r] = 0 }
                    }
                }
                t += mr
            }
        }

        /// Panels `panels` of columns `jc ..< jc + cols`, depth `pc ..< pc + kb` of op(B): panel q holds, for each
        /// depth step p, its columns' values at `q · columns · kb + p · columns + j`; missing columns are zero.
        func packB(_ dst: UnsafeMutablePointer<Float>, panels: Range<Int>, jc: Int, cols: Int, pc: Int, kb: Int) {
            let nr = MicroKernel.columns
            for q in panels {
                let panel = dst + q * nr * kb
                let col0 = jc + q * nr
                let width = min(nr, cols - q * nr)
                if transB {
                    // Stored n × k: read each column of op(B) contiguously, write it with stride `nr`.
                    for j in 0..<width {
                        let src = b + (col0 + j) * ldb + pc
                        for p in 0..<kb { panel[p * nr + j] = src[p] }
                    }
                    for j in width..<nr {
                        for p in 0..<kb { panel[p * nr + j] = 0 }
                    }
                } else if width == nr {
                    for p in 0..<kb {
                        MicroKernel.store(MicroKernel.load(b + (pc + p) * ldb + col0), panel + p * nr)
                    }
                } else {
                    for p in 0..<kb {
                        let src = b + (pc + p) * ldb + col0, out = panel + p * nr
                        for j in 0..<width { out[j] = src[j] }
                        for j in width..<nr { out[j] = 0 }
                    }
                }
            }
        }
    }
}
