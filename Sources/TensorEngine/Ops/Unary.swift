import Foundation
import Parallelism

extension Tensor {
    /// Applies `f` to every element (no autodiff), spread over the cores.
    func mapElements(_ f: (Float) -> Float) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let src = data, dst = out.data
        Parallel.forRanges(count, grain: 1 << 14) { r in
            for i in r { dst[i] = f(src[i]) }
        }
        return out
    }

    /// `g[i] · d(x[i], y[i])` where x is the op's input and y its output.
    func chain(_ g: Tensor, _ y: Tensor, _ d: (Float, Float) -> Float) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let x = data, yp = y.data, gp = g.data, dst = out.data
        Parallel.forRanges(count, grain: 1 << 14) { r in
            for i in r { dst[i] = gp[i] * d(x[i], yp[i]) }
        }
        return out
    }

    /// An elementwise op with derivative `d(x, y)` for input x and output y.
    private func unary(_ op: String, _ f: (Float) -> Float, derivative d: @escaping (Float, Float) -> Float) -> Tensor {
        let y = mapElements(f)
        // A detached view: capturing the result itself would make it own its own graph node (a cycle).
        let saved = y.detached()
        return Tensor.record(op, [self], y) { g in [self.chain(g, saved, d)] }
    }

    /// e^x.
    public func exp() -> Tensor {
        let y = mapScalar({ Foundation.exp($0) }, vector: VectorMath.exp)
        let saved = y.detached()
        return Tensor.record("exp", [self], y) { g in [self.chain(g, saved) { _, y in y }] }
    }
    /// Natural logarithm.
    public func log() -> Tensor { unary("log", { Foundation.log($0) }) { x, _ in 1 / x } }
    /// Square root.
    public func sqrt() -> Tensor { unary("sqrt", { $0.squareRoot() }) { _, y in 0.5 / y } }
    /// 1 / √x.
    public func rsqrt() -> Tensor { unary("rsqrt", { 1 / $0.squareRoot() }) { _, y in -0.5 * y * y * y } }
    /// Hyperbolic tangent.
    public func tanh() -> Tensor { unary("tanh", { Foundation.tanh($0) }) { _, y in 1 - y * y } }
    /// Logistic sigmoid.
    public func sigmoid() -> Tensor { unary("sigmoid", Self.sigmoidScalar) { _, y in y * (1 - y) } }
    /// log σ(x), computed without overflow.
    public func logSigmoid() -> Tensor {
        unary("logsigmoid", { x in Swift.min(x, 0) - Foundation.log1p(Foundation.exp(-Swift.abs(x))) }) { x, _ in
            Self.sigmoidScalar(-x)
        }
    }
    /// log(1 + eˣ) (torch semantics: linear above x = 20).
    public func softplus() -> Tensor {
        unary("softplus", { x in x > 20 ? x : Foundation.log1p(Foundation.exp(x)) }) { x, _ in
            x > 20 ? 1 : Self.sigmoidScalar(x)
        }
    }
    /// Clamps to [min, max]; the gradient flows where min ≤ x ≤ max.
    public func clamped(min lo: Float = -.infinity, max hi: Float = .infinity) -> Tensor {
        unary("clamp", { Swift.min(Swift.max($0, lo), hi) }) { x, _ in x >= lo && x <= hi ? 1 : 0 }
    }
    /// |x| (gradient 0 at 0, as in torch).
    public func abs() -> Tensor { unary("abs", { Swift.abs($0) }) { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) } }
    /// xᵖ.
    public func pow(_ p: Float) -> Tensor {
        if p == 2 { return unary("pow", { $0 * $0 }) { x, _ in 2 * x } }
        return unary("pow", { Foundation.pow($0, p) }) { x, _ in p * Foundation.pow(x, p - 1) }
    }
    /// x².
    public func square() -> Tensor { pow(2) }

    @inline(__always)
    static func sigmoidScalar(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
    }
}
