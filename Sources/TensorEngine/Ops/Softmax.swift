import Foundation
import Parallelism

extension Tensor {
    /// Runs a last-axis row op on `axis` by moving that axis last and back.
    private func onAxis(_ axis: Int, op: String, _ f: (Tensor) -> Tensor) -> Tensor {
        let ax = Shapes.axis(axis, rank: rank, op: op)
        if ax == rank - 1 { return f(self) }
        return f(transposed(ax, rank - 1)).transposed(ax, rank - 1)
    }

    /// Softmax along `axis` (default last).
    public func softmax(axis: Int = -1) -> Tensor { onAxis(axis, op: "softmax") { $0.softmaxLastAxis() } }

    /// log-softmax along `axis` (default last).
    public func logSoftmax(axis: Int = -1) -> Tensor { onAxis(axis, op: "logSoftmax") { $0.logSoftmaxLastAxis() } }

    private func softmaxLastAxis() -> Tensor {
        let n = shape.last ?? 1, rows = count / Swift.max(n, 1)
        let out = Tensor(uninitializedShape: shape)
        let xp = data, yp = out.data
        Parallel.forRanges(rows, grain: Swift.max(1, 8192 / Swift.max(n, 1))) { r in
            for row in r {
                let src = xp + row * n, dst = yp + row * n
                let m = VectorMath.max(src, n)
                let s = VectorMath.expShifted(src, dst, n, shift: m)
                VectorMath.scale(dst, n, by: 1 / s)
            }
        }
        return Tensor.record("softmax", [self], out) { g in
            let gx = Tensor(uninitializedShape: g.shape)
            let gp = g.data, dp = gx.data
            Parallel.forRanges(rows, grain: Swift.max(1, 8192 / Swift.max(n, 1))) { r in
                for row in r {
                    let y = yp + row * n, gr = gp + row * n, dx = dp + row * n
                    let dotGY = VectorMath.dot(gr, y, n)
                    var i = 0
                    let dv = RowVector(repeating: dotGY)
                    while i + VectorMath.width <= n {
                        VectorMath.store(VectorMath.load(y + i) * (VectorMath.load(gr + i) - dv), dx + i);
                        i += VectorMath.width
                    }
                    while i < n { dx[i] = y[i] * (gr[i] - dotGY); i += 1 }
                }
            }
            return [gx]
        }
    }

    private func logSoftmaxLastAxis() -> Tensor {
        let n = shape.last ?? 1, rows = count / Swift.max(n, 1)
        let out = Tensor(uninitializedShape: shape)
        let xp = data, yp = out.data
        Parallel.forRanges(rows, grain: Swift.max(1, 8192 / Swift.max(n, 1))) { r in
            for row in r {
                let src = xp + row * n, dst = yp + row * n
                let m = VectorMath.max(src, n)
                let lse = m + _log(VectorMath.sumExpShifted(src, n, shift: m))
                var i = 0
                let lv = RowVector(repeating: lse)
                while i + VectorMath.width <= n {
                    VectorMath.store(VectorMath.load(src + i) - lv, dst + i); i += VectorMath.width
                }
                while i < n { dst[i] = src[i] - lse; i += 1 }
            }
        }
        return Tensor.record("logSoftmax", [self], out) { g in
            let gx = Tensor(uninitializedShape: g.shape)
            let gp = g.data, dp = gx.data
            Parallel.forRanges(rows, grain: Swift.max(1, 8192 / Swift.max(n, 1))) { r in
                for row in r {
                    let y = yp + row * n, gr = gp + row * n, dx = dp + row * n
                    let sumG = VectorMath.sum(gr, n)
                    var i = 0
                    let sv = RowVector(repeating: sumG)
                    while i + VectorMath.width <= n {
                        VectorMath.store(VectorMath.load(gr + i) - VectorMath.exp(VectorMath.load(y + i)) * sv, dx + i);
                        i += VectorMath.width
                    }
                    while i < n { dx[i] = gr[i] - VectorMath.exp(y[i]) * sumG; i += 1 }
                }
            }
            return [gx]
        }
    }
}

@inline(__always) func _log(_ x: Float) -> Float { Foundation.log(x) }
