import Parallelism

extension Tensor {
    /// Rows of `axis` picked by `indices` (torch.index_select): the axis's length becomes `indices.count`.
    public func indexSelect(axis: Int, _ indices: [Int]) -> Tensor {
        let ax = Shapes.axis(axis, rank: rank, op: "indexSelect")
        let outer = shape[..<ax].reduce(1, *), n = shape[ax], inner = shape[(ax + 1)...].reduce(1, *)
        for i in indices where i < 0 || i >= n {
            engineFailure("indexSelect", "index \(i) out of range for axis \(axis) of shape \(shape)")
        }
        var outShape = shape; outShape[ax] = indices.count
        let out = Tensor(uninitializedShape: outShape)
        let src = data, dst = out.data, m = indices.count
        indices.withUnsafeBufferPointer { idx in
            Parallel.forRanges(outer * m, grain: Swift.max(1, 4096 / Swift.max(inner, 1))) { r in
                for k in r {
                    let o = k / m, j = k % m
                    (dst + k * inner).update(from: src + (o * n + idx[j]) * inner, count: inner)
                }
            }
        }
        let inShape = shape
        return Tensor.record("indexSelect", [self], out) { g in
            let gx = Tensor.zeros(inShape)
            for o in 0..<outer {
                for (j, i) in indices.enumerated() {
                    VectorMath.axpy(1, g.data + (o * m + j) * inner, gx.data + (o * n + i) * inner, inner)
                }
            }
            return [gx]
        }
    }

    /// Values along `axis` at `index` (torch.gather): `index` has this tensor's rank and the result its shape.
    public func gather(axis: Int, _ index: IntTensor) -> Tensor {
        let ax = Shapes.axis(axis, rank: rank, op: "gather")
        if index.shape.count != rank {
            engineFailure("gather", "index shape \(index.shape) and input shape \(shape) differ in rank")
        }
        for d in 0..<rank where d != ax && index.shape[d] > shape[d] {
            engineFailure("gather", "index shape \(index.shape) exceeds input shape \(shape) outside axis \(axis)")
        }
        let out = Tensor(uninitializedShape: index.shape)
        let inStrides = Shapes.strides(shape), idxStrides = Shapes.strides(index.shape)
        var sourceOffsets = [Int](repeating: 0, count: index.count)
        for k in 0..<index.count {
            var rem = k, off = 0
            for d in 0..<rank {
                let c = rem / idxStrides[d]; rem %= idxStrides[d]
                if d == ax {
                    let i = index.scalars[k]
                    if i < 0 || i >= shape[ax] {
                        engineFailure("gather", "index \(i) out of range for axis \(axis) of shape \(shape)")
                    }
                    off += i * inStrides[d]
                } else {
                    off += c * inStrides[d]
                }
            }
            sourceOffsets[k] = off
            out.data[k] = data[off]
        }
        let inShape = shape
        return Tensor.record("gather", [self], out) { g in
            let gx = Tensor.zeros(inShape)
            for k in 0..<sourceOffsets.count { gx.data[sourceOffsets[k]] += g.data[k] }
            return [gx]
        }
    }

    /// `value` where `mask` is non-zero, else self; `mask` broadcasts to this shape.
    public func maskedFill(_ mask: Tensor, _ value: Float) -> Tensor {
        let m = mask.broadcastValues(to: shape, op: "maskedFill")
        let out = Tensor(uninitializedShape: shape)
        for i in 0..<count { out.data[i] = m.data[i] != 0 ? value : data[i] }
        return Tensor.record("maskedFill", [self], out) { g in
            let gx = Tensor(uninitializedShape: g.shape)
            for i in 0..<g.count { gx.data[i] = m.data[i] != 0 ? 0 : g.data[i] }
            return [gx]
        }
    }

    /// Values broadcast to `target` without recording (masks and conditions carry no gradient).
    fileprivate func broadcastValues(to target: [Int], op: String) -> Tensor {
        if shape == target { return self }
        if Shapes.broadcast(shape, target, op: op) != target {
            engineFailure(op, "shape \(shape) cannot be broadcast to \(target)")
        }
        return withNoGrad { detached().broadcast(to: target) }
    }

    /// Elementwise choice: `a` where `condition` is non-zero, else `b`; all three broadcast together.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let shape = Shapes.broadcast(Shapes.broadcast(condition.shape, a.shape, op: "where"), b.shape, op: "where")
        let c = condition.broadcastValues(to: shape, op: "where")
        let av = withNoGrad { a.detached().broadcast(to: shape) }, bv = withNoGrad { b.detached().broadcast(to: shape) }
        let out = Tensor(uninitializedShape: shape)
        for i in 0..<out.count { out.data[i] = c.data[i] != 0 ? av.data[i] : bv.data[i] }
        return record("where", [a, b], out) { g in
            let ga = Tensor(uninitializedShape: shape), gb = Tensor(uninitializedShape: shape)
            for i in 0..<g.count {
                let take = c.data[i] != 0
                ga.data[i] = take ? g.data[i] : 0
                gb.data[i] = take ? 0 : g.data[i]
            }
            return [ga.sumToShape(a.shape), gb.sumToShape(b.shape)]
        }
    }
}

/// Token embedding lookup: rows of `table` [vocab, dim] for each id; the result has shape `ids.shape + [dim]`.
public func embedding(_ table: Tensor, _ ids: IntTensor) -> Tensor {
    if table.rank != 2 { engineFailure("embedding", "table must be [vocab, dim], got \(table.shape)") }
    let rows = table.indexSelect(axis: 0, ids.scalars)
    return rows.reshaped(ids.shape + [table.shape[1]])
}
