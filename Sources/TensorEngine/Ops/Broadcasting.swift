import Parallelism

/// Shape arithmetic shared by the ops.
enum Shapes {
    /// Row-major strides of `shape`.
    static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) { s[i] = acc; acc *= shape[i] }
        return s
    }

    /// NumPy broadcasting of two shapes, or a failure naming the op and both shapes.
    static func broadcast(_ a: [Int], _ b: [Int], op: String) -> [Int] {
        let r = max(a.count, b.count)
        var out = [Int](repeating: 1, count: r)
        for i in 0..<r {
            let da = i < r - a.count ? 1 : a[i - (r - a.count)]
            let db = i < r - b.count ? 1 : b[i - (r - b.count)]
            if da != db && da != 1 && db != 1 { engineFailure(op, "shapes \(a) and \(b) cannot be broadcast together") }
            out[i] = da == 1 ? db : da
        }
        return out
    }

    /// Strides for reading a tensor of `shape` as if broadcast to `target` (0 along broadcast axes).
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let pad = target.count - shape.count
        return (0..<target.count).map { i in
            i < pad || shape[i - pad] == 1 ? 0 : own[i - pad]
        }
    }

    /// Normalises a possibly negative axis, failing with the op's name when out of range.
    static func axis(_ axis: Int, rank: Int, op: String) -> Int {
        let a = axis < 0 ? axis + rank : axis
        if a < 0 || a >= rank { engineFailure(op, "axis \(axis) out of range for rank \(rank)") }
        return a
    }

    /// How many elements repeat after stripping leading 1s of `shape`, if `shape` is a suffix of `target`.
    static func suffixLength(_ shape: [Int], of target: [Int]) -> Int? {
        var s = shape[...]
        while let f = s.first, f == 1, s.count > 0 { s = s.dropFirst() }
        if s.count > target.count { return nil }
        if Array(s) != Array(target.suffix(s.count)) { return nil }
        return s.reduce(1, *)
    }

    /// Visits every element of `shape` as (outputOffset, offsetA, offsetB) with the given input strides,
    /// handing the innermost axis to `row` as one call: (out, aStart, bStart, length, aStep, bStep).
    static func forEachRow(
        _ shape: [Int], _ sa: [Int], _ sb: [Int],
        _ row: (_ out: Int, _ a: Int, _ b: Int, _ n: Int, _ aStep: Int, _ bStep: Int) -> Void
    ) {
        let r = shape.count
        if r == 0 { row(0, 0, 0, 1, 0, 0); return }
        let n = shape[r - 1]
        let rows = shape.reduce(1, *) / max(n, 1)
        if n == 0 { return }
        var idx = [Int](repeating: 0, count: r)
        var oa = 0, ob = 0
        for rowIndex in 0..<rows {
            row(rowIndex * n, oa, ob, n, sa[r - 1], sb[r - 1])
            var ax = r - 2
            while ax >= 0 {
                idx[ax] += 1
                oa += sa[ax]; ob += sb[ax]
                if idx[ax] < shape[ax] { break }
                oa -= sa[ax] * shape[ax]; ob -= sb[ax] * shape[ax]
                idx[ax] = 0
                ax -= 1
            }
        }
    }
}

extension Tensor {
    /// Sums a gradient of a broadcast result back to the shape of the input that was broadcast.
    func sumToShape(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        if target.reduce(1, *) == count { return reshaped(target) }
        let out = Tensor.zeros(target)
        if let inner = Shapes.suffixLength(target, of: shape), inner > 0 {
            let rows = count / inner
            Parallel.forRanges(inner, grain: 4096) { cols in
                for r in 0..<rows {
                    let src = data + r * inner + cols.lowerBound
                    let dst = out.data + cols.lowerBound
                    VectorMath.axpy(1, src, dst, cols.count)
                }
            }
            return out
        }
        let st = Shapes.broadcastStrides(target, to: shape)
        let zero = [Int](repeating: 0, count: shape.count)
        let src = data, dst = out.data
        Shapes.forEachRow(shape, st, zero) { o, t, _, n, tStep, _ in
            for i in 0..<n { dst[t + i * tStep] += src[o + i] }
        }
        return out
    }
}
