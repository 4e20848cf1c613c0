import Parallelism

/// Blocked ("flash") attention: the softmax is computed online over blocks of keys, and only a log-sum-exp per query
/// is kept for backward, which recomputes each block's probabilities from it. Memory is the output, that log-sum-exp
/// and one block of scores per worker: linear in T.
///
/// Forward, per block of queries: for each key block, S = alpha·Q·Kᵀ; the running row maximum m and sum l are
/// updated, the output so far rescaled by e^(m_old − m_new), and e^(S − m_new)·V added. At the end O /= l and
/// L = m + log l. Backward recomputes P = e^(S − L) per block and applies dS = P ∘ (dO·Vᵀ − rowsum(dO ∘ O)).
func blockedAttention(
    q: Tensor, k: Tensor, v: Tensor, keyPaddingMask: Tensor?, _ geometry: AttentionGeometry
) -> Tensor {
    let g = geometry
    let out = Tensor(uninitializedShape: q.shape)
    let logSumExp = Tensor(uninitializedShape: [g.batch, g.heads, g.queries])
    let blocks = AttentionBlocks(
        geometry: g, q: q.data, k: k.data, v: v.data, out: out.data, logSumExp: logSumExp.data,
        mask: keyPaddingMask?.data)
    Parallel.forRanges(g.batch * g.heads) { items in
        let scratch = AttentionBlocks.Scratch()
        defer { scratch.deallocate() }
        for item in items { blocks.forward(item: item, scratch) }
    }
    return Tensor.record("attention", [q, k, v], out) { grad in
        let dq = Tensor(uninitializedShape: q.shape), dk = Tensor.zeros(k.shape), dv = Tensor.zeros(v.shape)
        _ = (logSumExp, keyPaddingMask)  // keeps what backward reads through `blocks` alive until then
        // One work item per key/value head: the query heads sharing it accumulate into its dK, dV in turn.
        Parallel.forRanges(g.batch * g.keyHeads) { items in
            let scratch = AttentionBlocks.Scratch()
            defer { scratch.deallocate() }
            for item in items {
                blocks.backward(
                    keyHead: item, gradient: grad.data, dq: dq.data, dk: dk.data, dv: dv.data, scratch)
            }
        }
        return [dq, dk, dv]
    }
}

/// The blocked kernel's loops over one head, on raw pointers (shared read-only by the workers; each writes only its
/// own heads' rows).
struct AttentionBlocks {
    /// Queries per block.
    static let queryBlock = 64
    /// Keys per block: wide enough that each product is a reasonable GEMM, small enough to stay in L2.
    static let keyBlock = 128

    let geometry: AttentionGeometry
    let q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>
    let out: UnsafeMutablePointer<Float>, logSumExp: UnsafeMutablePointer<Float>
    let mask: UnsafeMutablePointer<Float>?

    /// A worker's buffers: one block of scores, one of their gradients, and per-row statistics.
    struct Scratch {
        let scores: UnsafeMutablePointer<Float>, dScores: UnsafeMutablePointer<Float>
        let rowMax: UnsafeMutablePointer<Float>, rowSum: UnsafeMutablePointer<Float>

        init() {
            let block = AttentionBlocks.queryBlock * AttentionBlocks.keyBlock
            scores = .allocate(capacity: 2 * block + 2 * AttentionBlocks.queryBlock)
            dScores = scores + block
            rowMax = dScores + block
            rowSum = rowMax + AttentionBlocks.queryBlock
        }

        func deallocate() { scores.deallocate() }
    }

    /// Query head `item` (= batch · heads + head): its output rows and log-sum-exps.
    func forward(item: Int, _ s: Scratch) {
        let g = geometry, d = g.headDim, kb = Self.keyBlock
        let bi = item / g.heads, kvItem = bi * g.keyHeads + (item % g.heads) / g.group
        let qh = q + item * g.queries * d, oh = out + item * g.queries * d, lh = logSumExp + item * g.queries
        let kh = k + kvItem * g.kvStride, vh = v + kvItem * g.kvStride
        var r0 = 0
        while r0 < g.queries {
            let rows = min(Self.queryBlock, g.queries - r0)
            let ob = oh + r0 * d
            ob.update(repeating: 0, count: rows * d)
            s.rowMax.update(repeating: -.infinity, count: rows)
            s.rowSum.update(repeating: 0, count: rows)
            forEachKeyBlock(queries: r0, rows, q: qh, k: kh, s) { c0, width in
                for i in 0..<rows {
                    let row = s.scores + i * kb
                    let visible = maskRow(row, query: r0 + i, batch: bi, from: c0, width: width)
                    if visible == 0 { continue }
                    let blockMax = VectorMath.max(row, visible)
                    if blockMax == -.infinity {  // every visible key padded
                        row.update(repeating: 0, count: width)
                        continue
                    }
                    let old = s.rowMax[i], new = Swift.max(old, blockMax)
                    let sum = VectorMath.expShifted(row, row, visible, shift: new)
                    zeroPadded(row, batch: bi, from: c0, count: visible)
                    if old != new && old != -.infinity {
                        let correction = VectorMath.exp(old - new)
                        VectorMath.scale(ob + i * d, d, by: correction)
                        s.rowSum[i] *= correction
                    }
                    s.rowSum[i] += sum
                    s.rowMax[i] = new
                }
                GEMM.sgemm(
                    transA: false, transB: false, m: rows, n: d, k: width,
                    a: s.scores, lda: kb, b: vh + c0 * d, ldb: d, beta: 1, c: ob, ldc: d, parallel: false)
            }
            for i in 0..<rows {
                let l = s.rowSum[i]
                if l > 0 {
                    VectorMath.scale(ob + i * d, d, by: 1 / l)
                    lh[r0 + i] = s.rowMax[i] + _log(l)
                } else {
                    // No visible key: zero output, and +∞ so backward's probabilities are all zero.
                    (ob + i * d).update(repeating: 0, count: d)
                    lh[r0 + i] = .infinity
                }
            }
            r0 += rows
        }
    }

    /// Key/value head `keyHead` (= batch · keyHeads + head): dK and dV of it, dQ of the query heads reading it.
    func backward(
        keyHead: Int, gradient: UnsafeMutablePointer<Float>, dq: UnsafeMutablePointer<Float>,
        dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>, _ s: Scratch
    ) {
        let g = geometry, d = g.headDim, kb = Self.keyBlock
        let bi = keyHead / g.keyHeads, kvh = keyHead % g.keyHeads
        let kh = k + keyHead * g.kvStride, vh = v + keyHead * g.kvStride
        let dkh = dk + keyHead * g.kvStride, dvh = dv + keyHead * g.kvStride
        for hi in (kvh * g.group)..<((kvh + 1) * g.group) {
            let item = bi * g.heads + hi
            let qh = q + item * g.queries * d, oh = out + item * g.queries * d, lh = logSumExp + item * g.queries
            let gh = gradient + item * g.queries * d, dqh = dq + item * g.queries * d
            var r0 = 0
            while r0 < g.queries {
                let rows = min(Self.queryBlock, g.queries - r0)
                (dqh + r0 * d).update(repeating: 0, count: rows * d)
                // rowSum holds rowsum(dO ∘ O) here.
                for i in 0..<rows { s.rowSum[i] = VectorMath.dot(gh + (r0 + i) * d, oh + (r0 + i) * d, d) }
                forEachKeyBlock(queries: r0, rows, q: qh, k: kh, s) { c0, width in
                    for i in 0..<rows {
                        let row = s.scores + i * kb
                        let lse = lh[r0 + i]
                        let visible =
                            lse == .infinity ? 0 : maskRow(row, query: r0 + i, batch: bi, from: c0, width: width)
                        if visible > 0 {
                            _ = VectorMath.expShifted(row, row, visible, shift: lse)
                            zeroPadded(row, batch: bi, from: c0, count: visible)
                        }
                        (row + visible).update(repeating: 0, count: width - visible)
                    }
                    // dV += Pᵀ·dO
                    GEMM.sgemm(
                        transA: true, transB: false, m: width, n: d, k: rows,
                        a: s.scores, lda: kb, b: gh + r0 * d, ldb: d, beta: 1, c: dvh + c0 * d, ldc: d,
                        parallel: false)
                    // dS = P ∘ (dO·Vᵀ − rowsum(dO ∘ O))
                    GEMM.sgemm(
                        transA: false, transB: true, m: rows, n: width, k: d,
                        a: gh + r0 * d, lda: d, b: vh + c0 * d, ldb: d, c: s.dScores, ldc: kb, parallel: false)
                    for i in 0..<rows {
                        VectorMath.subtractThenMultiply(
                            s.dScores + i * kb, s.rowSum[i], by: s.scores + i * kb, width)
                    }
                    // dQ += alpha·dS·K, dK += alpha·dSᵀ·Q
                    GEMM.sgemm(
                        transA: false, transB: false, m: rows, n: d, k: width, alpha: g.alpha,
                        a: s.dScores, lda: kb, b: kh + c0 * d, ldb: d, beta: 1, c: dqh + r0 * d, ldc: d,
                        parallel: false)
                    GEMM.sgemm(
                        transA: true, transB: false, m: width, n: d, k: rows, alpha: g.alpha,
                        a: s.dScores, lda: kb, b: qh + r0 * d, ldb: d, beta: 1, c: dkh + c0 * d, ldc: d,
                        parallel: false)
                }
                r0 += rows
            }
        }
    }

    /// Calls `body(first key, keys)` for each block of keys visible to queries `r0 ..< r0 + rows` of one head, with
    /// `s.scores` holding that block's alpha·Q·Kᵀ (`keyBlock` floats per query row).
    @inline(__always)
    private func forEachKeyBlock(
        queries r0: Int, _ rows: Int, q qh: UnsafeMutablePointer<Float>, k kh: UnsafeMutablePointer<Float>,
        _ s: Scratch, _ body: (Int, Int) -> Void
    ) {
        let g = geometry, d = g.headDim, kb = Self.keyBlock
        let kEnd = g.visibleKeys(r0 + rows - 1)
        var c0 = 0
        while c0 < kEnd {
            let width = min(kb, kEnd - c0)
            GEMM.sgemm(
                transA: false, transB: true, m: rows, n: width, k: d, alpha: g.alpha,
                a: qh + r0 * d, lda: d, b: kh + c0 * d, ldb: d, c: s.scores, ldc: kb, parallel: false)
            body(c0, width)
            c0 += width
        }
    }

    /// Prepares the scores of `query` against keys `from ..< from + width`: returns how many leading ones it may
    /// see (causality), after setting padded ones among them to −∞; zeroes the rest of the row when none is visible.
    @inline(__always)
    private func maskRow(_ row: UnsafeMutablePointer<Float>, query: Int, batch: Int, from: Int, width: Int) -> Int {
        let visible = max(0, min(width, geometry.visibleKeys(query) - from))
        if visible == 0 {
            row.update(repeating: 0, count: width)
            return 0
        }
        (row + visible).update(repeating: 0, count: width - visible)
        if let mask {
            let keys = mask + batch * geometry.keys + from
            for j in 0..<visible where keys[j] == 0 { row[j] = -.infinity }
        }
        return visible
    }

    /// Sets the probabilities of padded keys to exactly 0 (the vector exp of −∞ is a tiny positive number).
    @inline(__always)
    private func zeroPadded(_ row: UnsafeMutablePointer<Float>, batch: Int, from: Int, count: Int) {
        guard let mask else { return }
        let keys = mask + batch * geometry.keys + from
        for j in 0..<count where keys[j] == 0 { row[j] = 0 }
    }
}
