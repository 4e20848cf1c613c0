import Foundation

/// Adam with decoupled weight decay, matching `torch.optim.AdamW` (single-tensor path, `amsgrad=False`).
///
/// For each parameter with a gradient, at its own step count t:
///
///     p *= 1 − lr·wd
///     m  = β1·m + (1 − β1)·g
///     v  = β2·v + (1 − β2)·g²
///     p −= lr / (1 − β1^t) · m / (√v / √(1 − β2^t) + eps)
///
/// The moment buffers are allocated on a parameter's first update and reused afterwards, and the step's work list
/// keeps its storage between steps, so steady-state steps allocate nothing.
public final class AdamW: Optimizer {
    /// The tensors being optimised.
    public let parameters: [Tensor]
    /// Step size.
    public var learningRate: Float
    /// Decay of the first-moment (mean) estimate.
    public var beta1: Float
    /// Decay of the second-moment (uncentred variance) estimate.
    public var beta2: Float
    /// Added to the denominator so that parameters with tiny gradients do not get huge steps.
    public var eps: Float
    /// Decoupled weight decay: each step shrinks parameters by the factor 1 − lr·wd before the Adam update.
    public var weightDecay: Float

    /// Updates applied to each parameter; drives its bias correction.
    private var steps: [Int]
    /// First moments, allocated on first update (readable by tests, to check they are reused).
    private(set) var expAvg: [Tensor?]
    /// Second moments, allocated on first update.
    private(set) var expAvgSq: [Tensor?]
    /// This step's work, kept between steps so that its storage is reused.
    private var segments: [Segment] = []

    /// The per-parameter inputs of one step's kernel.
    private struct Segment: ParameterSegment {
        var offset: Int
        var count: Int
        var p: UnsafeMutablePointer<Float>
        var g: UnsafeMutablePointer<Float>
        var m: UnsafeMutablePointer<Float>
        var v: UnsafeMutablePointer<Float>
        /// −lr / (1 − β1^t), negated because torch adds `value · m / denom` with value = −step_size.
        var negStepSize: Float
        /// √(1 − β2^t).
        var bc2Sqrt: Float
    }

    /// Creates an optimizer over `parameters` (distinct tensors not sharing storage). The defaults are PyTorch's.
    public init(
        parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
        eps: Float = 1e-8, weightDecay: Float = 0.01
    ) {
        if !(learningRate >= 0) { engineFailure("AdamW", "learning rate \(learningRate) must be ≥ 0") }
        if !(0..<1).contains(beta1) || !(0..<1).contains(beta2) {
            engineFailure("AdamW", "betas (\(beta1), \(beta2)) must be in [0, 1)")
        }
        if !(eps >= 0) { engineFailure("AdamW", "eps \(eps) must be ≥ 0") }
        if !(weightDecay >= 0) { engineFailure("AdamW", "weight decay \(weightDecay) must be ≥ 0") }
        OptimizerStateValidation.checkDistinct(parameters, optimizer: "AdamW")
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.steps = Array(repeating: 0, count: parameters.count)
        self.expAvg = Array(repeating: nil, count: parameters.count)
        self.expAvgSq = Array(repeating: nil, count: parameters.count)
        segments.reserveCapacity(parameters.count)
    }

    /// Applies one AdamW update to every parameter that has a gradient.
    public func step() {
        segments.removeAll(keepingCapacity: true)
        var total = 0
        // Scalars derived from hyperparameters are computed in Double, as PyTorch does with Python floats, and
        // rounded once: powers like β2^t lose digits in Float after thousands of steps.
        let lr = Double(learningRate)
        for (i, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            if g.count != p.count {
                engineFailure("AdamW.step", "gradient of shape \(g.shape) for parameter \(i) of shape \(p.shape)")
            }
            if expAvg[i] == nil {
                expAvg[i] = Tensor.zeros(p.shape)
                expAvgSq[i] = Tensor.zeros(p.shape)
            }
            steps[i] += 1
            if p.count == 0 { continue }
            let t = Double(steps[i])
            let bc1 = 1 - Foundation.pow(Double(beta1), t)
            let bc2 = 1 - Foundation.pow(Double(beta2), t)
            segments.append(
                Segment(
                    offset: total, count: p.count, p: p.data, g: g.data, m: expAvg[i]!.data, v: expAvgSq[i]!.data,
                    negStepSize: Float(-(lr / bc1)), bc2Sqrt: Float(bc2.squareRoot())))
            total += p.count
        }
        let decay = Float(1 - lr * Double(weightDecay))
        // m is updated in torch's lerp form m + (1 − β1)(g − m), which needs only 1 − β1.
        let oneMinusB1 = Float(1 - Double(beta1))
        let b2 = beta2, oneMinusB2 = Float(1 - Double(beta2))
        let eps = self.eps
        ParameterSegments.forEach(segments, total: total) { s, r in
            Self.update(
                p: s.p + r.lowerBound, g: s.g + r.lowerBound, m: s.m + r.lowerBound, v: s.v + r.lowerBound,
                count: r.count, decay: decay, oneMinusBeta1: oneMinusB1, beta2: b2,
                oneMinusBeta2: oneMinusB2, negStepSize: s.negStepSize, bc2Sqrt: s.bc2Sqrt, eps: eps)
        }
    }

    /// The elementwise update. The vector and scalar paths perform the same IEEE operations in the same order, so
    /// the result does not depend on where the work was split. Operation order follows PyTorch's kernels
    /// (`lerp_`, `mul_().addcmul_()`, `addcdiv_`) to stay within rounding of its results.
    @inline(__always)
    private static func update(
        p: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>,
        v: UnsafeMutablePointer<Float>, count n: Int, decay: Float, oneMinusBeta1: Float,
        beta2: Float, oneMinusBeta2: Float, negStepSize: Float, bc2Sqrt: Float, eps: Float
    ) {
        typealias V = VectorMath.V
        let w = VectorMath.width
        let decayV = V(repeating: decay), w1 = V(repeating: oneMinusBeta1)
        let b2 = V(repeating: beta2), w2 = V(repeating: oneMinusBeta2)
        let stepV = V(repeating: negStepSize), bcV = V(repeating: bc2Sqrt), epsV = V(repeating: eps)
        var i = 0
        while i + w <= n {
            let gv = VectorMath.load(g + i)
            var mv = VectorMath.load(m + i)
            var vv = VectorMath.load(v + i)
            mv = mv + w1 * (gv - mv)
            vv = vv * b2 + w2 * gv * gv
            let denom = Self.sqrtNonNegative(vv) / bcV + epsV
            let pv = VectorMath.load(p + i) * decayV
            VectorMath.store(pv + stepV * mv / denom, p + i)
            VectorMath.store(mv, m + i)
            VectorMath.store(vv, v + i)
            i += w
        }
        while i < n {
            let gs = g[i]
            let ms = m[i] + oneMinusBeta1 * (gs - m[i])
            let vs = v[i] * beta2 + oneMinusBeta2 * gs * gs
            let denom = vs.magnitude.squareRoot() / bc2Sqrt + eps
            p[i] = p[i] * decay + negStepSize * ms / denom
            m[i] = ms
            v[i] = vs
            i += 1
        }
    }

    /// Lane-wise √x for x ≥ 0 (v always is), correctly rounded like `squareRoot()`.
    ///
    /// The SIMD types' `squareRoot()` compiles on Linux to one scalar `sqrtf` call per lane, guarded for errno, which made it the
    /// bottleneck of the step. Taking the magnitude first tells LLVM the argument cannot be negative, so it emits the
    /// vector square-root instruction instead; for x ≥ 0 (and NaN) the result is unchanged.
    @inline(__always)
    private static func sqrtNonNegative(_ x: VectorMath.V) -> VectorMath.V {
        var r = VectorMath.V()
        for i in 0..<VectorMath.width { r[i] = x[i].magnitude.squareRoot() }
        return r
    }

    /// Kind, per-parameter step counts, hyperparameters and copies of `exp_avg.<i>` / `exp_avg_sq.<i>`.
    public func state() -> OptimizerState {
        var tensors: [String: Tensor] = [:]
        for i in parameters.indices {
            if let m = expAvg[i], let v = expAvgSq[i] {
                tensors["exp_avg.\(i)"] = m.copy()
                tensors["exp_avg_sq.\(i)"] = v.copy()
            }
        }
        return OptimizerState(
            metadata: .init(
                kind: "AdamW", steps: steps,
                hyperparameters: [
                    "lr": learningRate, "beta1": beta1, "beta2": beta2, "eps": eps, "weight_decay": weightDecay,
                ]),
            tensors: tensors)
    }

    /// Restores a snapshot from `state()`; throws `OptimizerStateError` (changing nothing) if it does not fit.
    public func load(_ state: OptimizerState) throws {
        let h = try OptimizerStateValidation.validateMetadata(
            state, kind: "AdamW", parameterCount: parameters.count,
            hyperparameters: ["lr", "beta1", "beta2", "eps", "weight_decay"])
        var expected: [String: [Int]] = [:]
        for (i, s) in state.metadata.steps.enumerated() where s > 0 {
            expected["exp_avg.\(i)"] = parameters[i].shape
            expected["exp_avg_sq.\(i)"] = parameters[i].shape
        }
        try OptimizerStateValidation.validateBuffers(state.tensors, expected: expected)

        learningRate = h["lr"]!
        beta1 = h["beta1"]!
        beta2 = h["beta2"]!
        eps = h["eps"]!
        weightDecay = h["weight_decay"]!
        steps = state.metadata.steps
        for i in parameters.indices {
            if steps[i] > 0 {
                expAvg[i] = state.tensors["exp_avg.\(i)"]!.copy()
                expAvgSq[i] = state.tensors["exp_avg_sq.\(i)"]!.copy()
            } else {
                expAvg[i] = nil
                expAvgSq[i] = nil
            }
        }
    }
}
