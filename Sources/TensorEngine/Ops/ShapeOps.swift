extension Tensor {
    /// The same elements with a new shape, sharing storage (a view). One dimension may be −1 (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var target = newShape
        if let inferred = target.firstIndex(of: -1) {
            let known = target.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            if known == 0 || count % known != 0 { engineFailure("reshape", "cannot reshape \(shape) to \(newShape)") }
            target[inferred] = count / known
        }
        if target.reduce(1, *) != count || target.contains(where: { $0 < 0 }) {
            engineFailure("reshape", "cannot reshape \(shape) (\(count) elements) to \(newShape)")
        }
        if target == shape { return self }
        let out = Tensor(shape: target, storage: storage)
        let inShape = shape
        return Tensor.record("reshape", [self], out, keepsInputs: false, readsResult: false) { g in
            [g.reshaped(inShape)]
        }
    }

    /// Adds an axis of length 1 at `axis`.
    public func unsqueezed(_ axis: Int) -> Tensor {
        let a = Shapes.axis(axis, rank: rank + 1, op: "unsqueeze")
        var s = shape; s.insert(1, at: a)
        return reshaped(s)
    }

    /// Removes an axis of length 1.
    public func squeezed(_ axis: Int) -> Tensor {
        let a = Shapes.axis(axis, rank: rank, op: "squeeze")
        if shape[a] != 1 { engineFailure("squeeze", "axis \(axis) of shape \(shape) has length \(shape[a]), not 1") }
        var s = shape; s.remove(at: a)
        return reshaped(s)
    }

    /// Reorders the axes: result axis i is input axis `order[i]`. Copies.
    public func permuted(_ order: [Int]) -> Tensor {
        if order.count != rank || Set(order) != Set(0..<rank) {
            engineFailure("permute", "order \(order) is not a permutation of the axes of shape \(shape)")
        }
        if order == Array(0..<rank) { return self }
        let outShape = order.map { shape[$0] }
        let inStrides = Shapes.strides(shape)
        let readStrides = order.map { inStrides[$0] }
        let out = Tensor(uninitializedShape: outShape)
        let src = data, dst = out.data
        let zero = [Int](repeating: 0, count: rank)
        Shapes.forEachRow(outShape, readStrides, zero) { o, s, _, n, step, _ in
            if step == 1 {
                (dst + o).update(from: src + s, count: n)
            } else {
                for i in 0..<n { dst[o + i] = src[s + i * step] }
            }
        }
        var inverse = [Int](repeating: 0, count: rank)
        for (i, a) in order.enumerated() { inverse[a] = i }
        return Tensor.record("permute", [self], out, keepsInputs: false, readsResult: false) { g in
            [g.permuted(inverse)]
        }
    }

    /// Swaps two axes. Copies.
    public func transposed(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        let x = Shapes.axis(a, rank: rank, op: "transpose"), y = Shapes.axis(b, rank: rank, op: "transpose")
        var order = Array(0..<rank)
        order.swapAt(x, y)
        return permuted(order)
    }

    /// Elements `range` along `axis`. Copies.
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let ax = Shapes.axis(axis, rank: rank, op: "slice")
        if range.lowerBound < 0 || range.upperBound > shape[ax] {
            engineFailure("slice", "range \(range) out of bounds for axis \(axis) of shape \(shape)")
        }
        let outer = shape[..<ax].reduce(1, *), inner = shape[(ax + 1)...].reduce(1, *)
        var outShape = shape; outShape[ax] = range.count
        let out = Tensor(uninitializedShape: outShape)
        let n = shape[ax], len = range.count * inner
        for o in 0..<outer {
            (out.data + o * len).update(from: data + (o * n + range.lowerBound) * inner, count: len)
        }
        let inShape = shape
        return Tensor.record("slice", [self], out, keepsInputs: false, readsResult: false) { g in
            let gx = Tensor.zeros(inShape)
            for o in 0..<outer {
                (gx.data + (o * n + range.lowerBound) * inner).update(from: g.data + o * len, count: len)
            }
            return [gx]
        }
    }

    /// Joins tensors along an existing axis; all other axes must match.
    public static func concat(_ tensors: [Tensor], axis: Int) -> Tensor {
        guard let first = tensors.first else { engineFailure("concat", "no tensors given") }
        let ax = Shapes.axis(axis, rank: first.rank, op: "concat")
        for t in tensors {
            var a = t.shape, b = first.shape
            if a.count == b.count { a[ax] = 0; b[ax] = 0 }
            if a != b { engineFailure("concat", "shapes \(first.shape) and \(t.shape) differ outside axis \(axis)") }
        }
        let outer = first.shape[..<ax].reduce(1, *), inner = first.shape[(ax + 1)...].reduce(1, *)
        let total = tensors.reduce(0) { $0 + $1.shape[ax] }
        var outShape = first.shape; outShape[ax] = total
        let out = Tensor(uninitializedShape: outShape)
        var offset = 0
        for t in tensors {
            let len = t.shape[ax] * inner
            for o in 0..<outer { (out.data + o * total * inner + offset).update(from: t.data + o * len, count: len) }
            offset += len
        }
        let sizes = tensors.map { $0.shape[ax] }
        return record("concat", tensors, out, keepsInputs: false, readsResult: false) { g in
            var start = 0
            return sizes.map { size in
                defer { start += size }
                return g.slice(axis: ax, start..<(start + size))
            }
        }
    }

    /// Joins same-shaped tensors along a new axis.
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        guard let first = tensors.first else { engineFailure("stack", "no tensors given") }
        for t in tensors where t.shape != first.shape {
            engineFailure("stack", "shapes \(first.shape) and \(t.shape) differ")
        }
        let a = Shapes.axis(axis, rank: first.rank + 1, op: "stack")
        return concat(tensors.map { $0.unsqueezed(a) }, axis: a)
    }
}
