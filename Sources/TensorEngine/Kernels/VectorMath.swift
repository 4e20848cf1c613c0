/// Vectorised transcendental functions for the hot row kernels (softmax, attention, losses, activations).
/// Accuracy: a few ulp over the finite range, which the parity tests bound.
enum VectorMath {
    typealias V = RowVector
    /// Floats per vector (`RowVector`'s width, fixed by the build target).
    @inline(__always) static var width: Int { V.scalarCount }
    /// Two vectors' worth of floats: the column tile of the decoding kernels (`SkinnyGEMM`, `PackedMatrix`) and the
    /// bfloat16 values `BFloat16.loadPairs` widens at once.
    @inline(__always) static var pairWidth: Int { 2 * width }

    /// e^x (Cephes-style: 2^n · p(r), |r| ≤ ln2/2). Inputs below −87.3 give ≈ 1e-38, above 88.7 clamp.
    /// Rounding and the 2^n scale use the 1.5·2²³ trick and integer bit shifts, which vectorise, where the generic
    /// SIMD rounding and int conversions would not.
    @inline(__always)
    static func exp(_ xIn: V) -> V {
        let x = maximum(minimum(xIn, V(repeating: 88.72)), V(repeating: -87.33))
        let magic = V(repeating: 12_582_912)  // 1.5·2²³: adding it rounds to an integer held in the low bits
        // plusProduct is a fused multiply-add where the target has one: Swift does not contract a * b + c itself.
        let shifted = magic.plusProduct(x, V(repeating: 1.442_695_04))
        let n = shifted - magic
        var r = x.plusProduct(n, V(repeating: -0.693_359_375))
        r = r.plusProduct(n, V(repeating: 2.121_944_4e-4))
        var p = V(repeating: 1.987_569_15e-4)
        p = V(repeating: 1.398_199_950_7e-3).plusProduct(p, r)
        p = V(repeating: 8.333_451_907_3e-3).plusProduct(p, r)
        p = V(repeating: 4.166_579_589_4e-2).plusProduct(p, r)
        p = V(repeating: 1.666_666_545_9e-1).plusProduct(p, r)
        p = V(repeating: 5.000_000_120_1e-1).plusProduct(p, r)
        p = (r + 1).plusProduct(p, r * r)
        let ni = unsafeBitCast(shifted, to: RowVectorIntegers.self) &- 0x4B40_0000
        let scale = unsafeBitCast((ni &+ 127) &<< 23, to: V.self)
        return p * scale
    }

    @inline(__always)
    static func exp(_ x: Float) -> Float { exp(V(repeating: x))[0] }

    /// tanh through exp, accurate in absolute terms (used inside GELU, where 1 + tanh is what matters).
    @inline(__always)
    static func tanhAbs(_ x: V) -> V {
        let e = exp(2 * x)
        return 1 - 2 / (e + 1)
    }

    /// Logistic sigmoid 1 / (1 + e^−x).
    @inline(__always)
    static func sigmoid(_ x: V) -> V { 1 / (1 + exp(-x)) }

    /// Lane-wise maximum. The standard library's `pointwiseMax` is not inlined here and costs a call per vector.
    @inline(__always)
    static func maximum(_ a: V, _ b: V) -> V { a.replacing(with: b, where: b .> a) }

    /// Lane-wise minimum (see `maximum`).
    @inline(__always)
    static func minimum(_ a: V, _ b: V) -> V { a.replacing(with: b, where: b .< a) }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    // The reductions below keep two accumulators: each add waits only for its own chain, so a row runs at the
    // adder's throughput rather than its latency. With 8-wide vectors a single chain made layer norm, softmax and
    // attention's dot products slower than the 16-wide build on the same AVX2 code.

    /// Sum of a contiguous row.
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc0 = V.zero, acc1 = V.zero
        var i = 0
        while i + 2 * width <= n { acc0 += load(p + i); acc1 += load(p + i + width); i += 2 * width }
        if i + width <= n { acc0 += load(p + i); i += width }
        var s = (acc0 + acc1).sum()
        while i < n { s += p[i]; i += 1 }
        return s
    }

    /// Maximum of a contiguous non-empty row.
    @inline(__always)
    static func max(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var i = 0
        var m = -Float.infinity
        if n >= width {
            var acc0 = load(p), acc1 = acc0
            i = width
            while i + 2 * width <= n {
                acc0 = maximum(acc0, load(p + i)); acc1 = maximum(acc1, load(p + i + width)); i += 2 * width
            }
            if i + width <= n { acc0 = maximum(acc0, load(p + i)); i += width }
            m = maximum(acc0, acc1).max()
        }
        while i < n { m = Swift.max(m, p[i]); i += 1 }
        return m
    }

    /// Dot product of two contiguous rows.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc0 = V.zero, acc1 = V.zero
        var i = 0
        while i + 2 * width <= n {
            acc0 += load(a + i) * load(b + i); acc1 += load(a + i + width) * load(b + i + width); i += 2 * width
        }
        if i + width <= n { acc0 += load(a + i) * load(b + i); i += width }
        var s = (acc0 + acc1).sum()
        while i < n { s += a[i] * b[i]; i += 1 }
        return s
    }

    /// Σ (x[i] − mean)²: a layer norm's variance times n.
    @inline(__always)
    static func squaredDeviations(_ x: UnsafePointer<Float>, _ n: Int, from mean: Float) -> Float {
        let mv = V(repeating: mean)
        var acc0 = V.zero, acc1 = V.zero
        var i = 0
        while i + 2 * width <= n {
            let t0 = load(x + i) - mv, t1 = load(x + i + width) - mv
            acc0 = acc0.plusProduct(t0, t0); acc1 = acc1.plusProduct(t1, t1); i += 2 * width
        }
        if i + width <= n { let t = load(x + i) - mv; acc0 = acc0.plusProduct(t, t); i += width }
        var s = (acc0 + acc1).sum()
        while i < n { let t = x[i] - mean; s += t * t; i += 1 }
        return s
    }

    /// out[i] = exp(x[i] − shift), returning the sum of the outputs.
    @inline(__always)
    static func expShifted(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int, shift: Float)
        -> Float
    {
        var acc = V.zero
        var i = 0
        let s = V(repeating: shift)
        while i + width <= n {
            let e = exp(load(x + i) - s)
            store(e, out + i)
            acc += e
            i += width
        }
        var total = acc.sum()
        while i < n { let e = exp(x[i] - shift); out[i] = e; total += e; i += 1 }
        return total
    }

    /// Sum of exp(x[i] − shift) without storing.
    @inline(__always)
    static func sumExpShifted(_ x: UnsafePointer<Float>, _ n: Int, shift: Float) -> Float {
        var acc = V.zero
        var i = 0
        let s = V(repeating: shift)
        while i + width <= n { acc += exp(load(x + i) - s); i += width }
        var total = acc.sum()
        while i < n { total += exp(x[i] - shift); i += 1 }
        return total
    }

    /// p[i] *= factor.
    @inline(__always)
    static func scale(_ p: UnsafeMutablePointer<Float>, _ n: Int, by factor: Float) {
        var i = 0
        let f = V(repeating: factor)
        while i + width <= n { store(load(p + i) * f, p + i); i += width }
        while i < n { p[i] *= factor; i += 1 }
    }

    /// y[i] += a · x[i].
    @inline(__always)
    static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        let av = V(repeating: a)
        while i + width <= n { store(load(y + i) + av * load(x + i), y + i); i += width }
        while i < n { y[i] += a * x[i]; i += 1 }
    }

    /// x[i] = y[i] · (x[i] − c): the softmax backward step dS = P ∘ (dP − rowsum(dO ∘ O)).
    @inline(__always)
    static func subtractThenMultiply(
        _ x: UnsafeMutablePointer<Float>, _ c: Float, by y: UnsafePointer<Float>, _ n: Int
    ) {
        var i = 0
        let cv = V(repeating: c)
        while i + width <= n { store(load(y + i) * (load(x + i) - cv), x + i); i += width }
        while i < n { x[i] = y[i] * (x[i] - c); i += 1 }
    }
}
