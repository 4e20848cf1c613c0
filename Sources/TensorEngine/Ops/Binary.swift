import Parallelism

/// An elementwise binary function in scalar and vector form (generic code specialises on it, so the loops inline).
protocol BinaryFunction {
    static func apply(_ a: Float, _ b: Float) -> Float
    static func apply(_ a: RowVector, _ b: RowVector) -> RowVector
}

enum AddFunction: BinaryFunction {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a + b }
    @inline(__always) static func apply(_ a: RowVector, _ b: RowVector) -> RowVector { a + b }
}
enum SubFunction: BinaryFunction {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a - b }
    @inline(__always) static func apply(_ a: RowVector, _ b: RowVector) -> RowVector { a - b }
}
enum MulFunction: BinaryFunction {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a * b }
    @inline(__always) static func apply(_ a: RowVector, _ b: RowVector) -> RowVector { a * b }
}
enum DivFunction: BinaryFunction {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a / b }
    @inline(__always) static func apply(_ a: RowVector, _ b: RowVector) -> RowVector { a / b }
}

extension Tensor {
    /// Elementwise `F(a, b)` with broadcasting, no autodiff.
    static func broadcastMap<F: BinaryFunction>(_: F.Type, _ a: Tensor, _ b: Tensor, op: String) -> Tensor {
        typealias V = RowVector
        let outShape = a.shape == b.shape ? a.shape : Shapes.broadcast(a.shape, b.shape, op: op)
        let out = Tensor(uninitializedShape: outShape)
        let n = out.count
        let pa = a.data, pb = b.data, po = out.data
        if a.count == n && b.count == n {
            Parallel.forRanges(n, grain: 1 << 15) { r in
                var i = r.lowerBound
                while i + VectorMath.width <= r.upperBound {
                    VectorMath.store(F.apply(VectorMath.load(pa + i), VectorMath.load(pb + i)), po + i);
                    i += VectorMath.width
                }
                while i < r.upperBound { po[i] = F.apply(pa[i], pb[i]); i += 1 }
            }
        } else if a.count == n, let inner = Shapes.suffixLength(b.shape, of: outShape), inner > 0 {
            // b repeats along the leading axes (a bias row, a scalar).
            Parallel.forRanges(n / inner, grain: Swift.max(1, (1 << 15) / inner)) { rows in
                for row in rows {
                    let o = row * inner
                    if inner == 1 {
                        po[o] = F.apply(pa[o], pb[0])
                        continue
                    }
                    var j = 0
                    while j + VectorMath.width <= inner {
                        VectorMath.store(F.apply(VectorMath.load(pa + o + j), VectorMath.load(pb + j)), po + o + j);
                        j += VectorMath.width
                    }
                    while j < inner { po[o + j] = F.apply(pa[o + j], pb[j]); j += 1 }
                }
            }
        } else if b.count == n, let inner = Shapes.suffixLength(a.shape, of: outShape), inner > 0 {
            Parallel.forRanges(n / inner, grain: Swift.max(1, (1 << 15) / inner)) { rows in
                for row in rows {
                    let o = row * inner
                    for j in 0..<inner { po[o + j] = F.apply(pa[j], pb[o + j]) }
                }
            }
        } else {
            let sa = Shapes.broadcastStrides(a.shape, to: outShape)
            let sb = Shapes.broadcastStrides(b.shape, to: outShape)
            Shapes.forEachRow(outShape, sa, sb) { o, ia, ib, len, da, db in
                for i in 0..<len { po[o + i] = F.apply(pa[ia + i * da], pb[ib + i * db]) }
            }
        }
        return out
    }

    /// Adds `other` into self in place (same element count). Not recorded.
    func addInPlace(_ other: Tensor) {
        if other.count != count { engineFailure("addInPlace", "shapes \(shape) and \(other.shape) differ in size") }
        let src = other.data, dst = data
        Parallel.forRanges(count, grain: 1 << 15) { r in
            VectorMath.axpy(1, src + r.lowerBound, dst + r.lowerBound, r.count)
        }
    }

    /// `a + b` with broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastMap(AddFunction.self, a, b, op: "add")
        // Shapes only: the inputs are not kept (a residual branch's output is freed once added).
        return record("add", [a, b], out, keepsInputs: false, readsResult: false) {
            [aShape = a.shape, bShape = b.shape, aGrad = a.requiresGrad, bGrad = b.requiresGrad] g in
            [aGrad ? g.sumToShape(aShape) : nil, bGrad ? g.sumToShape(bShape) : nil]
        }
    }

    /// `a − b` with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastMap(SubFunction.self, a, b, op: "sub")
        return record("sub", [a, b], out, keepsInputs: false, readsResult: false) {
            [aShape = a.shape, bShape = b.shape, aGrad = a.requiresGrad, bGrad = b.requiresGrad] g in
            [aGrad ? g.sumToShape(aShape) : nil, bGrad ? (-g).sumToShape(bShape) : nil]
        }
    }

    /// `a · b` elementwise with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastMap(MulFunction.self, a, b, op: "mul")
        return record("mul", [a, b], out) { g in
            [
                a.requiresGrad ? broadcastMap(MulFunction.self, g, b, op: "mul").sumToShape(a.shape) : nil,
                b.requiresGrad ? broadcastMap(MulFunction.self, g, a, op: "mul").sumToShape(b.shape) : nil,
            ]
        }
    }

    /// `a / b` elementwise with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastMap(DivFunction.self, a, b, op: "div")
        let saved = out.detached()
        return record("div", [a, b], out) { g in
            let ga = broadcastMap(DivFunction.self, g, b, op: "div")
            var gb: Tensor? = nil
            if b.requiresGrad {
                // d(a/b)/db = −a/b² = −out/b
                let t = broadcastMap(MulFunction.self, ga, saved, op: "div")
                gb = (-t).sumToShape(b.shape)
            }
            return [a.requiresGrad ? ga.sumToShape(a.shape) : nil, gb]
        }
    }

    /// `−x`.
    public static prefix func - (x: Tensor) -> Tensor { x * -1 }

    /// `x + s`.
    public static func + (x: Tensor, s: Float) -> Tensor {
        let out = x.mapScalar {
            $0 + s
        } vector: {
            $0 + s
        }
        return record("add_scalar", [x], out, keepsInputs: false, readsResult: false) { g in [g] }
    }
    /// `s + x`.
    public static func + (s: Float, x: Tensor) -> Tensor { x + s }
    /// `x − s`.
    public static func - (x: Tensor, s: Float) -> Tensor { x + (-s) }
    /// `s − x`.
    public static func - (s: Float, x: Tensor) -> Tensor { (x * -1) + s }

    /// `x · s`.
    public static func * (x: Tensor, s: Float) -> Tensor {
        let out = x.mapScalar {
            $0 * s
        } vector: {
            $0 * s
        }
        return record("mul_scalar", [x], out, keepsInputs: false, readsResult: false) { g in
            [
                g.mapScalar {
                    $0 * s
                } vector: {
                    $0 * s
                }
            ]
        }
    }
    /// `s · x`.
    public static func * (s: Float, x: Tensor) -> Tensor { x * s }
    /// `x / s`.
    public static func / (x: Tensor, s: Float) -> Tensor { x * (1 / s) }
    /// `s / x`.
    public static func / (s: Float, x: Tensor) -> Tensor { Tensor.full(x.shape, s) / x }

    /// Applies a scalar map to every element (no autodiff), vectorised.
    func mapScalar(_ f: (Float) -> Float, vector: (RowVector) -> RowVector) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let src = data, dst = out.data
        Parallel.forRanges(count, grain: 1 << 15) { r in
            var i = r.lowerBound
            while i + VectorMath.width <= r.upperBound {
                VectorMath.store(vector(VectorMath.load(src + i)), dst + i); i += VectorMath.width
            }
            while i < r.upperBound { dst[i] = f(src[i]); i += 1 }
        }
        return out
    }
}
