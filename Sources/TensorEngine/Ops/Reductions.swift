import Foundation
import Parallelism

extension Tensor {
    /// (outer, n, inner) view of the tensor around `axis`.
    fileprivate func split(_ axis: Int) -> (outer: Int, n: Int, inner: Int) {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        return (outer, shape[axis], inner)
    }

    fileprivate func reducedShape(_ axis: Int, keepDims: Bool) -> [Int] {
        var s = shape
        if keepDims { s[axis] = 1 } else { s.remove(at: axis) }
        return s
    }

    /// Repeats this tensor along broadcast axes to `target` (NumPy rules).
    public func broadcast(to target: [Int]) -> Tensor {
        if shape == target { return self }
        let check = Shapes.broadcast(shape, target, op: "broadcast")
        if check != target { engineFailure("broadcast", "shape \(shape) cannot be broadcast to \(target)") }
        let out = Tensor(uninitializedShape: target)
        let st = Shapes.broadcastStrides(shape, to: target)
        let zero = [Int](repeating: 0, count: target.count)
        let src = data, dst = out.data
        Shapes.forEachRow(target, st, zero) { o, s, _, n, step, _ in
            if step == 1 {
                (dst + o).update(from: src + s, count: n)
            } else if step == 0 {
                (dst + o).update(repeating: src[s], count: n)
            } else {
                for i in 0..<n { dst[o + i] = src[s + i * step] }
            }
        }
        let inShape = shape
        return Tensor.record("broadcast", [self], out) { g in [g.sumToShape(inShape)] }
    }

    /// Sum of all elements (rank 0).
    public func sum() -> Tensor { reshaped([count]).sum(axis: 0) }

    /// Mean of all elements (rank 0).
    public func mean() -> Tensor { sum() * (1 / Float(Swift.max(count, 1))) }

    /// Sum over `axes`.
    public func sum(axes: [Int], keepDims: Bool = false) -> Tensor {
        reduceAxes(axes, keepDims: keepDims) { $0.sum(axis: $1, keepDims: true) }
    }

    /// Mean over `axes`.
    public func mean(axes: [Int], keepDims: Bool = false) -> Tensor {
        let n = axes.map { shape[Shapes.axis($0, rank: rank, op: "mean")] }.reduce(1, *)
        return sum(axes: axes, keepDims: keepDims) * (1 / Float(Swift.max(n, 1)))
    }

    /// Maximum over `axes` (gradient to the first maximum of each reduced group).
    public func max(axes: [Int], keepDims: Bool = false) -> Tensor {
        reduceAxes(axes, keepDims: keepDims) { $0.max(axis: $1, keepDims: true) }
    }

    /// log Σ exp over `axes`, computed stably.
    public func logsumexp(axes: [Int], keepDims: Bool = false) -> Tensor {
        reduceAxes(axes, keepDims: keepDims) { $0.logsumexp(axis: $1, keepDims: true) }
    }

    private func reduceAxes(_ axes: [Int], keepDims: Bool, _ step: (Tensor, Int) -> Tensor) -> Tensor {
        let normalized = Set(axes.map { Shapes.axis($0, rank: rank, op: "reduce") }).sorted(by: >)
        var t = self
        for a in normalized { t = step(t, a) }
        if keepDims { return t }
        let kept = shape.indices.filter { !normalized.contains($0) }.map { shape[$0] }
        return t.reshaped(kept)
    }

    /// Sum over one axis.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = Shapes.axis(axis, rank: rank, op: "sum")
        let (outer, n, inner) = split(ax)
        let out = Tensor(uninitializedShape: reducedShape(ax, keepDims: keepDims))
        let src = data, dst = out.data
        if inner == 1 {
            Parallel.forRanges(outer, grain: Swift.max(1, 4096 / Swift.max(n, 1))) { r in
                for o in r { dst[o] = VectorMath.sum(src + o * n, n) }
            }
        } else {
            Parallel.forRanges(outer, grain: 1) { r in
                for o in r {
                    let d = dst + o * inner
                    d.update(repeating: 0, count: inner)
                    for j in 0..<n { VectorMath.axpy(1, src + (o * n + j) * inner, d, inner) }
                }
            }
        }
        let inShape = shape
        var keptShape = inShape; keptShape[ax] = 1
        return Tensor.record("sum", [self], out) { g in [g.reshaped(keptShape).broadcast(to: inShape)] }
    }

    /// Mean over one axis.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = Shapes.axis(axis, rank: rank, op: "mean")
        return sum(axis: ax, keepDims: keepDims) * (1 / Float(Swift.max(shape[ax], 1)))
    }

    /// Maximum over one axis; the gradient goes to the first maximal element.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = Shapes.axis(axis, rank: rank, op: "max")
        let (outer, n, inner) = split(ax)
        if n == 0 { engineFailure("max", "reducing an empty axis \(axis) of shape \(shape)") }
        let out = Tensor(uninitializedShape: reducedShape(ax, keepDims: keepDims))
        var argmax = [Int](repeating: 0, count: outer * inner)
        let src = data, dst = out.data
        argmax.withUnsafeMutableBufferPointer { am in
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = src[o * n * inner + i], bi = 0
                    for j in 1..<Swift.max(n, 1) {
                        let v = src[(o * n + j) * inner + i]
                        if v > best || (v.isNaN && !best.isNaN) { best = v; bi = j }
                    }
                    dst[o * inner + i] = best
                    am[o * inner + i] = bi
                }
            }
        }
        let inShape = shape
        return Tensor.record("max", [self], out) { g in
            let gx = Tensor.zeros(inShape)
            for o in 0..<outer {
                for i in 0..<inner { gx.data[(o * n + argmax[o * inner + i]) * inner + i] = g.data[o * inner + i] }
            }
            return [gx]
        }
    }

    /// log Σ exp over one axis, stable for large inputs.
    public func logsumexp(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = Shapes.axis(axis, rank: rank, op: "logsumexp")
        let (outer, n, inner) = split(ax)
        let out = Tensor(uninitializedShape: reducedShape(ax, keepDims: keepDims))
        let src = data, dst = out.data
        for o in 0..<outer {
            for i in 0..<inner {
                var m = -Float.infinity
                for j in 0..<n { m = Swift.max(m, src[(o * n + j) * inner + i]) }
                if m == -.infinity { dst[o * inner + i] = -.infinity; continue }
                var s: Float = 0
                for j in 0..<n { s += Foundation.exp(src[(o * n + j) * inner + i] - m) }
                dst[o * inner + i] = m + Foundation.log(s)
            }
        }
        let inShape = shape
        return Tensor.record("logsumexp", [self], out) { g in
            let gx = Tensor(uninitializedShape: inShape)
            for o in 0..<outer {
                for j in 0..<n {
                    for i in 0..<inner {
                        let k = (o * n + j) * inner + i
                        let lse = dst[o * inner + i]
                        gx.data[k] = lse == -.infinity ? 0 : g.data[o * inner + i] * Foundation.exp(src[k] - lse)
                    }
                }
            }
            return [gx]
        }
    }
}
