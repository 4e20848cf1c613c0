/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, matching
/// `torch.optim.SGD` with `dampening=0`.
///
/// For each parameter with a gradient:
///
///     d = g + wd·p                         (weight decay enters the gradient, unlike AdamW's decoupled decay)
///     buf = d on the first step, else μ·buf + d            (only when μ ≠ 0)
///     d = nesterov ? d + μ·buf : buf                       (only when μ ≠ 0)
///     p −= lr·d
public final class SGD: Optimizer {
    /// The tensors being optimised.
    public let parameters: [Tensor]
    /// Step size.
    public var learningRate: Float
    /// Momentum factor μ; 0 disables the momentum buffer.
    public var momentum: Float
    /// Whether to step along the look-ahead d + μ·buf instead of buf.
    public var nesterov: Bool
    /// L2 penalty coefficient added to the gradient as wd·p.
    public var weightDecay: Float

    /// Updates applied to each parameter.
    private var steps: [Int]
    /// Momentum buffers, allocated on a parameter's first update with μ ≠ 0.
    private var momentumBuffers: [Tensor?]
    /// This step's work, kept between steps so that its storage is reused.
    private var segments: [Segment] = []

    /// The per-parameter inputs of one step's kernel.
    private struct Segment: ParameterSegment {
        var offset: Int
        var count: Int
        var p: UnsafeMutablePointer<Float>
        var g: UnsafeMutablePointer<Float>
        /// Nil without momentum.
        var buf: UnsafeMutablePointer<Float>?
        /// Whether `buf` was just allocated and must be initialised to d rather than updated.
        var firstStep: Bool
    }

    /// Creates an optimizer over `parameters` (distinct tensors not sharing storage).
    public init(
        parameters: [Tensor], learningRate: Float, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0
    ) {
        if !(learningRate >= 0) { engineFailure("SGD", "learning rate \(learningRate) must be ≥ 0") }
        if !(momentum >= 0) { engineFailure("SGD", "momentum \(momentum) must be ≥ 0") }
        if !(weightDecay >= 0) { engineFailure("SGD", "weight decay \(weightDecay) must be ≥ 0") }
        if nesterov && momentum == 0 { engineFailure("SGD", "Nesterov momentum needs momentum > 0") }
        OptimizerStateValidation.checkDistinct(parameters, optimizer: "SGD")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.steps = Array(repeating: 0, count: parameters.count)
        self.momentumBuffers = Array(repeating: nil, count: parameters.count)
        segments.reserveCapacity(parameters.count)
    }

    /// Applies one SGD update to every parameter that has a gradient.
    public func step() {
        segments.removeAll(keepingCapacity: true)
        var total = 0
        for (i, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            if g.count != p.count {
                engineFailure("SGD.step", "gradient of shape \(g.shape) for parameter \(i) of shape \(p.shape)")
            }
            var first = false
            if momentum != 0 && momentumBuffers[i] == nil {
                // Uninitialised is fine: the first step overwrites every element with d.
                momentumBuffers[i] = Tensor(uninitializedShape: p.shape)
                first = true
            }
            steps[i] += 1
            if p.count == 0 { continue }
            segments.append(
                Segment(
                    offset: total, count: p.count, p: p.data, g: g.data,
                    buf: momentum != 0 ? momentumBuffers[i]!.data : nil, firstStep: first))
            total += p.count
        }
        let negLR = -learningRate, mu = momentum, wd = weightDecay, nesterov = self.nesterov
        ParameterSegments.forEach(segments, total: total) { s, r in
            Self.update(
                p: s.p + r.lowerBound, g: s.g + r.lowerBound, buf: s.buf.map { $0 + r.lowerBound },
                firstStep: s.firstStep, count: r.count, negLR: negLR, momentum: mu, weightDecay: wd,
                nesterov: nesterov)
        }
    }

    /// The elementwise update, in PyTorch's operation order (`add(p, alpha=wd)`, `mul_(μ).add_(d)`,
    /// `add(buf, alpha=μ)`, `add_(d, alpha=−lr)`). Vector and scalar paths perform the same IEEE operations, so the
    /// result does not depend on where the work was split.
    @inline(__always)
    private static func update(
        p: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>, buf: UnsafeMutablePointer<Float>?,
        firstStep: Bool, count n: Int, negLR: Float, momentum: Float, weightDecay: Float, nesterov: Bool
    ) {
        typealias V = VectorMath.V
        let w = VectorMath.width
        let lrV = V(repeating: negLR), muV = V(repeating: momentum), wdV = V(repeating: weightDecay)
        let decays = weightDecay != 0
        var i = 0
        while i + w <= n {
            let pv = VectorMath.load(p + i)
            var d = VectorMath.load(g + i)
            if decays { d = d + wdV * pv }
            if let buf {
                let b = firstStep ? d : VectorMath.load(buf + i) * muV + d
                VectorMath.store(b, buf + i)
                d = nesterov ? d + muV * b : b
            }
            VectorMath.store(pv + lrV * d, p + i)
            i += w
        }
        while i < n {
            let ps = p[i]
            var d = g[i]
            if decays { d = d + weightDecay * ps }
            if let buf {
                let b = firstStep ? d : buf[i] * momentum + d
                buf[i] = b
                d = nesterov ? d + momentum * b : b
            }
            p[i] = ps + negLR * d
            i += 1
        }
    }

    /// Kind, per-parameter step counts, hyperparameters (`nesterov` as 0 or 1) and copies of `momentum.<i>`.
    public func state() -> OptimizerState {
        var tensors: [String: Tensor] = [:]
        for (i, b) in momentumBuffers.enumerated() {
            if let b { tensors["momentum.\(i)"] = b.copy() }
        }
        return OptimizerState(
            metadata: .init(
                kind: "SGD", steps: steps,
                hyperparameters: [
                    "lr": learningRate, "momentum": momentum, "nesterov": nesterov ? 1 : 0, "weight_decay": weightDecay,
                ]),
            tensors: tensors)
    }

    /// Restores a snapshot from `state()`; throws `OptimizerStateError` (changing nothing) if it does not fit.
    /// A parameter that has taken steps must have a momentum buffer when momentum is on; one whose buffer exists
    /// although momentum is now off (it was turned off mid-training) may keep it.
    public func load(_ state: OptimizerState) throws {
        let h = try OptimizerStateValidation.validateMetadata(
            state, kind: "SGD", parameterCount: parameters.count,
            hyperparameters: ["lr", "momentum", "nesterov", "weight_decay"])
        let mu = h["momentum"]!
        var expected: [String: [Int]] = [:]
        for (i, s) in state.metadata.steps.enumerated() where s > 0 {
            let name = "momentum.\(i)"
            if mu != 0 || state.tensors[name] != nil { expected[name] = parameters[i].shape }
        }
        try OptimizerStateValidation.validateBuffers(state.tensors, expected: expected)

        learningRate = h["lr"]!
        momentum = mu
        nesterov = h["nesterov"]! != 0
        weightDecay = h["weight_decay"]!
        steps = state.metadata.steps
        for i in parameters.indices {
            momentumBuffers[i] = state.tensors["momentum.\(i)"]?.copy()
        }
    }
}
