import Parallelism

/// Attention keeping the probabilities [B, H, Tq, Tk] for backward; blocks of queries only multiply the keys they
/// can see.
func unblockedAttention(
    q: Tensor, k: Tensor, v: Tensor, keyPaddingMask: Tensor?, _ geometry: AttentionGeometry
) -> Tensor {
    let op = "attention"
    let (b, h, hkv, tq, tk, d) = (
        geometry.batch, geometry.heads, geometry.keyHeads, geometry.queries, geometry.keys, geometry.headDim
    )
    let (group, alpha, kvStride) = (geometry.group, geometry.alpha, geometry.kvStride)
    let block = 64

    let out = Tensor(uninitializedShape: q.shape)
    let probs = Tensor(uninitializedShape: [b, h, tq, tk])
    let qp = q.data, kp = k.data, vp = v.data, op_ = out.data, pp = probs.data
    let mp = keyPaddingMask?.data

    @inline(__always) func visibleKeys(_ i: Int) -> Int { geometry.visibleKeys(i) }

    Parallel.forRanges(b * h) { items in
        for item in items {
            let bi = item / h, hi = item % h, kvh = hi / group
            let qh = qp + item * tq * d, oh = op_ + item * tq * d, ph = pp + item * tq * tk
            let kh = kp + (bi * hkv + kvh) * kvStride, vh = vp + (bi * hkv + kvh) * kvStride
            var r0 = 0
            while r0 < tq {
                let r1 = min(r0 + block, tq)
                let kEnd = visibleKeys(r1 - 1)
                if kEnd > 0 {
                    GEMM.sgemm(
                        transA: false, transB: true, m: r1 - r0, n: kEnd, k: d, alpha: alpha,
                        a: qh + r0 * d, lda: d, b: kh, ldb: d, c: ph + r0 * tk, ldc: tk, parallel: false)
                }
                for i in r0..<r1 {
                    let row = ph + i * tk
                    let limit = visibleKeys(i)
                    var visible = limit
                    if let mp {
                        // Padded keys get −∞ so the vector softmax skips them, then exactly 0 afterwards (the vector
                        // exp of −∞ is a tiny positive number, not 0).
                        let mask = mp + bi * tk
                        var anyVisible = false
                        for j in 0..<limit {
                            if mask[j] == 0 { row[j] = -.infinity } else { anyVisible = true }
                        }
                        if !anyVisible {
                            visible = 0
                        } else {
                            let m = VectorMath.max(row, limit)
                            _ = VectorMath.expShifted(row, row, limit, shift: m)
                            for j in 0..<limit where mask[j] == 0 { row[j] = 0 }
                            VectorMath.scale(row, limit, by: 1 / VectorMath.sum(row, limit))
                        }
                    } else if limit > 0 {
                        let m = VectorMath.max(row, limit)
                        let s = VectorMath.expShifted(row, row, limit, shift: m)
                        VectorMath.scale(row, limit, by: 1 / s)
                    }
                    let zeroFrom = visible == 0 ? 0 : limit
                    (row + zeroFrom).update(repeating: 0, count: tk - zeroFrom)
                }
                if kEnd > 0 {
                    GEMM.sgemm(
                        transA: false, transB: false, m: r1 - r0, n: d, k: kEnd,
                        a: ph + r0 * tk, lda: tk, b: vh, ldb: d, c: oh + r0 * d, ldc: d, parallel: false)
                } else {
                    (oh + r0 * d).update(repeating: 0, count: (r1 - r0) * d)
                }
                r0 = r1
            }
        }
    }

    return Tensor.record(op, [q, k, v], out) { g in
        let dq = Tensor(uninitializedShape: q.shape), dk = Tensor.zeros(k.shape), dv = Tensor.zeros(v.shape)
        let gp = g.data, dqp = dq.data, dkp = dk.data, dvp = dv.data
        let pp = probs.data  // captures `probs`, keeping the saved probabilities alive until backward
        // One work item per key/value head: the query heads sharing it accumulate into its dK, dV in turn.
        Parallel.forRanges(b * hkv) { items in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: block * tk + block)
            defer { scratch.deallocate() }
            let rowDot = scratch + block * tk
            for item in items {
                let bi = item / hkv, kvh = item % hkv
                let kh = kp + item * kvStride, vh = vp + item * kvStride
                let dkh = dkp + item * kvStride, dvh = dvp + item * kvStride
                for hi in (kvh * group)..<((kvh + 1) * group) {
                    let qItem = bi * h + hi
                    let qh = qp + qItem * tq * d, oh = op_ + qItem * tq * d, ph = pp + qItem * tq * tk
                    let gh = gp + qItem * tq * d, dqh = dqp + qItem * tq * d
                    var r0 = 0
                    while r0 < tq {
                        let r1 = min(r0 + block, tq), rows = r1 - r0
                        let kEnd = visibleKeys(r1 - 1)
                        if kEnd == 0 {
                            (dqh + r0 * d).update(repeating: 0, count: rows * d)
                            r0 = r1; continue
                        }
                        // dP = dO·Vᵀ, then dS = P ∘ (dP − rowsum(dO ∘ O)).
                        GEMM.sgemm(
                            transA: false, transB: true, m: rows, n: kEnd, k: d,
                            a: gh + r0 * d, lda: d, b: vh, ldb: d, c: scratch, ldc: kEnd, parallel: false)
                        for i in 0..<rows { rowDot[i] = VectorMath.dot(gh + (r0 + i) * d, oh + (r0 + i) * d, d) }
                        for i in 0..<rows {
                            VectorMath.subtractThenMultiply(scratch + i * kEnd, rowDot[i], by: ph + (r0 + i) * tk, kEnd)
                        }
                        GEMM.sgemm(
                            transA: false, transB: false, m: rows, n: d, k: kEnd, alpha: alpha,
                            a: scratch, lda: kEnd, b: kh, ldb: d, c: dqh + r0 * d, ldc: d, parallel: false)
                        GEMM.sgemm(
                            transA: true, transB: false, m: kEnd, n: d, k: rows, alpha: alpha,
                            a: scratch, lda: kEnd, b: qh + r0 * d, ldb: d, beta: 1, c: dkh, ldc: d, parallel: false)
                        GEMM.sgemm(
                            transA: true, transB: false, m: kEnd, n: d, k: rows,
                            a: ph + r0 * tk, lda: tk, b: gh + r0 * d, ldb: d, beta: 1, c: dvh, ldc: d, parallel: false)
                        r0 = r1
                    }
                }
            }
        }
        return [dq, dk, dv]
    }
}
