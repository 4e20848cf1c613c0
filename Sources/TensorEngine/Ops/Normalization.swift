import Parallelism

/// Per-row partial sums of parameter gradients, one buffer per worker, added together at the end.
private func reduceRowsParallel(
    rows: Int, width: Int, buffers: Int, _ body: (Range<Int>, UnsafeMutablePointer<Float>) -> Void
) -> [Tensor] {
    let chunks = max(1, min(Parallel.workerCount, rows / 8))
    let partial = Tensor.zeros([chunks, buffers * width])
    let base = partial.data
    Parallel.forRanges(chunks) { cr in
        for c in cr {
            let lo = rows * c / chunks, hi = rows * (c + 1) / chunks
            body(lo..<hi, base + c * buffers * width)
        }
    }
    return (0..<buffers).map { bIdx in
        let out = Tensor.zeros([width])
        for c in 0..<chunks { VectorMath.axpy(1, base + c * buffers * width + bIdx * width, out.data, width) }
        return out
    }
}

/// Layer normalisation over the last axis: (x − mean) / √(var + eps) · weight + bias (biased variance, as torch).
public func layerNorm(_ x: Tensor, weight: Tensor, bias: Tensor?, eps: Float = 1e-5) -> Tensor {
    let d = x.shape.last ?? 0
    if weight.shape != [d] || (bias != nil && bias!.shape != [d]) {
        engineFailure(
            "layerNorm",
            "input \(x.shape) needs weight and bias of shape [\(d)], got \(weight.shape) and \(bias?.shape ?? [])")
    }
    let rows = x.count / max(d, 1)
    let out = Tensor(uninitializedShape: x.shape)
    var stats = [Float](repeating: 0, count: rows * 2)  // mean, rstd per row
    let xp = x.data, op = out.data, wp = weight.data, bp = bias?.data
    stats.withUnsafeMutableBufferPointer { st in
        let stp = st.baseAddress!
        Parallel.forRanges(rows, grain: 16) { r in
            for row in r {
                let src = xp + row * d, dst = op + row * d
                let mean = VectorMath.sum(src, d) / Float(d)
                let variance = VectorMath.squaredDeviations(src, d, from: mean)
                let rstd = 1 / (variance / Float(d) + eps).squareRoot()
                stp[row * 2] = mean; stp[row * 2 + 1] = rstd
                var i = 0
                let mv = RowVector(repeating: mean)
                let rv = RowVector(repeating: rstd)
                while i + VectorMath.width <= d {
                    var y = (VectorMath.load(src + i) - mv) * rv * VectorMath.load(wp + i)
                    if let bp { y += VectorMath.load(bp + i) }
                    VectorMath.store(y, dst + i); i += VectorMath.width
                }
                while i < d { dst[i] = (src[i] - mean) * rstd * wp[i] + (bp?[i] ?? 0); i += 1 }
            }
        }
    }
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.record("layerNorm", inputs, out, readsResult: false) { g in
        let gx = Tensor(uninitializedShape: x.shape)
        let gp = g.data, gxp = gx.data
        let sums = stats.withUnsafeBufferPointer { st in
            let stp = st.baseAddress!
            return reduceRowsParallel(rows: rows, width: d, buffers: 2) { r, acc in
                let gw = acc, gb = acc + d
                typealias V = RowVector
                let vectorEnd = d / VectorMath.width * VectorMath.width
                for row in r {
                    let src = xp + row * d, gr = gp + row * d, dx = gxp + row * d
                    let mean = stp[row * 2], rstd = stp[row * 2 + 1]
                    let mv = V(repeating: mean), rv = V(repeating: rstd)
                    var sumDyV = V.zero, sumDyXhatV = V.zero
                    var i = 0
                    while i < vectorEnd {
                        let xhat = (VectorMath.load(src + i) - mv) * rv
                        let g = VectorMath.load(gr + i)
                        let dy = g * VectorMath.load(wp + i)
                        sumDyV += dy
                        sumDyXhatV = sumDyXhatV.plusProduct(dy, xhat)
                        VectorMath.store(VectorMath.load(gw + i).plusProduct(g, xhat), gw + i)
                        VectorMath.store(VectorMath.load(gb + i) + g, gb + i)
                        i += VectorMath.width
                    }
                    var sumDy = sumDyV.sum(), sumDyXhat = sumDyXhatV.sum()
                    while i < d {
                        let xhat = (src[i] - mean) * rstd
                        let dy = gr[i] * wp[i]
                        sumDy += dy; sumDyXhat += dy * xhat
                        gw[i] += gr[i] * xhat
                        gb[i] += gr[i]
                        i += 1
                    }
                    let a = sumDy / Float(d), b = sumDyXhat / Float(d)
                    let av = V(repeating: a), bv = V(repeating: b)
                    i = 0
                    while i < vectorEnd {
                        let xhat = (VectorMath.load(src + i) - mv) * rv
                        let dy = VectorMath.load(gr + i) * VectorMath.load(wp + i)
                        VectorMath.store(rv * (dy - av - xhat * bv), dx + i)
                        i += VectorMath.width
                    }
                    while i < d {
                        let xhat = (src[i] - mean) * rstd
                        dx[i] = rstd * (gr[i] * wp[i] - a - xhat * b)
                        i += 1
                    }
                }
            }
        }
        return bias == nil ? [gx, sums[0]] : [gx, sums[0], sums[1]]
    }
}

/// RMS normalisation over the last axis: x / √(mean(x²) + eps) · weight (Llama, Qwen2, GLM-4).
public func rmsNorm(_ x: Tensor, weight: Tensor, eps: Float = 1e-6) -> Tensor {
    let d = x.shape.last ?? 0
    if weight.shape != [d] {
        engineFailure("rmsNorm", "input \(x.shape) needs weight of shape [\(d)], got \(weight.shape)")
    }
    let rows = x.count / max(d, 1)
    let out = Tensor(uninitializedShape: x.shape)
    var rstds = [Float](repeating: 0, count: rows)
    let xp = x.data, op = out.data, wp = weight.data
    rstds.withUnsafeMutableBufferPointer { rs in
        let rsp = rs.baseAddress!
        Parallel.forRanges(rows, grain: 16) { r in
            for row in r {
                let src = xp + row * d, dst = op + row * d
                let rstd = 1 / (VectorMath.dot(src, src, d) / Float(d) + eps).squareRoot()
                rsp[row] = rstd
                var i = 0
                while i + VectorMath.width <= d {
                    VectorMath.store(VectorMath.load(src + i) * rstd * VectorMath.load(wp + i), dst + i);
                    i += VectorMath.width
                }
                while i < d { dst[i] = src[i] * rstd * wp[i]; i += 1 }
            }
        }
    }
    return Tensor.record("rmsNorm", [x, weight], out, readsResult: false) { g in
        let gx = Tensor(uninitializedShape: x.shape)
        let gp = g.data, gxp = gx.data
        let sums = rstds.withUnsafeBufferPointer { rs in
            let rsp = rs.baseAddress!
            return reduceRowsParallel(rows: rows, width: d, buffers: 1) { r, gw in
                for row in r {
                    let src = xp + row * d, gr = gp + row * d, dx = gxp + row * d
                    let rstd = rsp[row]
                    let rv = RowVector(repeating: rstd)
                    var sumV = RowVector.zero
                    var i = 0
                    while i + VectorMath.width <= d {
                        let xhat = VectorMath.load(src + i) * rv, g = VectorMath.load(gr + i)
                        sumV = sumV.plusProduct(g * VectorMath.load(wp + i), xhat)
                        VectorMath.store(VectorMath.load(gw + i).plusProduct(g, xhat), gw + i)
                        i += VectorMath.width
                    }
                    var sumDyXhat = sumV.sum()
                    while i < d {
                        let xhat = src[i] * rstd
                        sumDyXhat += gr[i] * wp[i] * xhat
                        gw[i] += gr[i] * xhat
                        i += 1
                    }
                    let b = sumDyXhat / Float(d)
                    let bv = RowVector(repeating: rstd * b)
                    i = 0
                    while i + VectorMath.width <= d {
                        let dy = VectorMath.load(gr + i) * VectorMath.load(wp + i)
                        VectorMath.store(rv * (dy - VectorMath.load(src + i) * bv), dx + i)
                        i += VectorMath.width
                    }
                    while i < d { dx[i] = rstd * (gr[i] * wp[i] - src[i] * rstd * b); i += 1 }
                }
            }
        }
        return [gx, sums[0]]
    }
}
