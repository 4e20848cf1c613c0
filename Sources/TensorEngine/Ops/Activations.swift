import Foundation
import Parallelism

/// Which GELU: the exact erf form or the tanh approximation (GPT-2's "gelu_new").
public enum GELUApproximation: Sendable {
    case none, tanh
}

extension Tensor {
    /// GELU activation.
    public func gelu(approximate: GELUApproximation = .tanh) -> Tensor {
        switch approximate {
        case .tanh: return geluTanh()
        case .none: return geluErf()
        }
    }

    private static let sqrt2OverPi: Float = 0.797_884_560_802_865_4
    private static let geluCoefficient: Float = 0.044_715

    // 0.5·x·(1 + tanh(u)) = x·σ(2u): the sigmoid form has no cancellation for negative x.
    private func geluTanh() -> Tensor {
        typealias V = RowVector
        let k = Self.sqrt2OverPi, c = Self.geluCoefficient
        let y = mapScalar(
            { x in
                x * Self.sigmoidScalar(2 * k * (x + c * x * x * x))
            },
            vector: { x in
                x * VectorMath.sigmoid(2 * k * (x + c * x * x * x))
            })
        return Tensor.record("gelu_tanh", [self], y, readsResult: false) { g in
            let out = Tensor(uninitializedShape: self.shape)
            let xp = self.data, gp = g.data, dst = out.data
            Parallel.forRanges(self.count, grain: 1 << 14) { r in
                var i = r.lowerBound
                while i + VectorMath.width <= r.upperBound {
                    let x = VectorMath.load(xp + i)
                    let s = VectorMath.sigmoid(2 * k * (x + c * x * x * x))
                    let du = k * (1 + 3 * c * x * x)
                    VectorMath.store(VectorMath.load(gp + i) * (s + x * s * (1 - s) * 2 * du), dst + i)
                    i += VectorMath.width
                }
                while i < r.upperBound {
                    let x = xp[i]
                    let s = Self.sigmoidScalar(2 * k * (x + c * x * x * x))
                    let du = k * (1 + 3 * c * x * x)
                    dst[i] = gp[i] * (s + x * s * (1 - s) * 2 * du)
                    i += 1
                }
            }
            return [out]
        }
    }

    private func geluErf() -> Tensor {
        let y = mapElements { x in 0.5 * x * (1 + Foundation.erf(x * 0.707_106_781_186_547_6)) }
        let saved = y.detached()
        return Tensor.record("gelu_erf", [self], y) { g in
            [
                self.chain(g, saved) { x, _ in
                    0.5 * (1 + Foundation.erf(x * 0.707_106_781_186_547_6)) + x * Foundation.exp(-0.5 * x * x)
                        * 0.398_942_280_401_432_7
                }
            ]
        }
    }

    /// SiLU (swish): x·σ(x).
    public func silu() -> Tensor {
        let y = mapScalar({ $0 * Self.sigmoidScalar($0) }, vector: { $0 * VectorMath.sigmoid($0) })
        let saved = y.detached()
        return Tensor.record("silu", [self], y) { g in
            [
                self.chain(g, saved) { x, _ in
                    let s = Self.sigmoidScalar(x)
                    return s * (1 + x * (1 - s))
                }
            ]
        }
    }
}

/// SwiGLU: silu(gate) · up, the Llama MLP's gated activation, fused so silu(gate) is not kept.
public func swiglu(gate: Tensor, up: Tensor) -> Tensor {
    if gate.shape != up.shape { engineFailure("swiglu", "gate shape \(gate.shape) differs from up shape \(up.shape)") }
    let out = Tensor(uninitializedShape: gate.shape)
    let gp = gate.data, up_ = up.data, o = out.data
    Parallel.forRanges(gate.count, grain: 1 << 14) { r in
        var i = r.lowerBound
        while i + VectorMath.width <= r.upperBound {
            let x = VectorMath.load(gp + i)
            VectorMath.store(x * VectorMath.sigmoid(x) * VectorMath.load(up_ + i), o + i)
            i += VectorMath.width
        }
        while i < r.upperBound { o[i] = gp[i] * Tensor.sigmoidScalar(gp[i]) * up_[i]; i += 1 }
    }
    return Tensor.record("swiglu", [gate, up], out, readsResult: false) { g in
        let dGate = Tensor(uninitializedShape: gate.shape), dUp = Tensor(uninitializedShape: gate.shape)
        let gg = g.data, dg = dGate.data, du = dUp.data
        Parallel.forRanges(gate.count, grain: 1 << 14) { r in
            var i = r.lowerBound
            let one = VectorMath.V(repeating: 1)
            while i + VectorMath.width <= r.upperBound {
                let x = VectorMath.load(gp + i), s = VectorMath.sigmoid(x), grad = VectorMath.load(gg + i)
                VectorMath.store(grad * x * s, du + i)
                VectorMath.store(grad * VectorMath.load(up_ + i) * s * (one + x * (one - s)), dg + i)
                i += VectorMath.width
            }
            while i < r.upperBound {
                let x = gp[i], s = Tensor.sigmoidScalar(x)
                du[i] = gg[i] * x * s
                dg[i] = gg[i] * up_[i] * s * (1 + x * (1 - s))
                i += 1
            }
        }
        return [dGate, dUp]
    }
}
