import Testing

@testable import TensorEngine

@Suite("SGD")
struct SGDTests {
    /// Each element pair repeats (1, −2) so the hand-computed two-element trajectory applies to every pair, while the
    /// 35-element length exercises both the 16-wide vector path and the scalar tail.
    static let length = 35
    static func tiled(_ pair: [Float], _ n: Int = length) -> [Float] { (0..<n).map { pair[$0 % 2] } }
    static let grads: [[Float]] = [[1, 0.5], [0.5, -1], [0, 2]]

    func run(nesterov: Bool) -> [[Float]] {
        let p = Tensor(shape: [Self.length], scalars: Self.tiled([1, -2])).requiringGrad()
        let opt = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9, nesterov: nesterov)
        return Self.grads.map { g in
            p.grad = Tensor(shape: p.shape, scalars: Self.tiled(g))
            opt.step()
            return p.scalars
        }
    }

    @Test("momentum follows the hand-computed trajectory")
    func momentumTrajectory() {
        // buf₁ = g₁; bufₜ = 0.9·bufₜ₋₁ + gₜ; p −= 0.1·buf.
        let expected: [[Float]] = [[0.9, -2.05], [0.76, -1.995], [0.634, -2.1455]]
        for (got, want) in zip(run(nesterov: false), expected) {
            #expect(OptimTestSupport.close(got, Self.tiled(want)), "\(got.prefix(2)) vs \(want)")
        }
    }

    @Test("Nesterov momentum follows the hand-computed trajectory")
    func nesterovTrajectory() {
        // Same buffers; the step is along g + 0.9·buf.
        let expected: [[Float]] = [[0.81, -2.095], [0.634, -1.9455], [0.5206, -2.28095]]
        for (got, want) in zip(run(nesterov: true), expected) {
            #expect(OptimTestSupport.close(got, Self.tiled(want)), "\(got.prefix(2)) vs \(want)")
        }
    }

    @Test("weight decay is added to the gradient; no momentum keeps no state")
    func weightDecay() {
        let p = Tensor(shape: [2], scalars: [1, -2]).requiringGrad()
        let opt = SGD(parameters: [p], learningRate: 0.1, weightDecay: 0.1)
        p.grad = Tensor(shape: [2], scalars: [1, 0.5])
        opt.step()
        #expect(OptimTestSupport.close(p.scalars, [0.89, -2.03]))  // d = g + 0.1·p = (1.1, 0.3)
        #expect(opt.state().tensors.isEmpty)
    }

    @Test("parameters without a gradient are skipped")
    func skipsNilGrad() {
        let a = Tensor(shape: [2], scalars: [1, 2]).requiringGrad()
        let b = Tensor(shape: [2], scalars: [3, 4]).requiringGrad()
        let opt = SGD(parameters: [a, b], learningRate: 1, momentum: 0.5)
        b.grad = Tensor(shape: [2], scalars: [1, 1])
        opt.step()
        #expect(a.scalars == [1, 2] && b.scalars == [2, 3])
        #expect(Set(opt.state().tensors.keys) == ["momentum.1"])
    }

    @Test("save, continue and resume give bit-identical parameters; mismatched state throws")
    func stateRoundTrip() throws {
        func makeParams() -> [Tensor] {
            [[20_000], [17]].enumerated().map { i, s in
                Tensor(shape: s, scalars: OptimTestSupport.values(s.reduce(1, *), seed: UInt64(3 + i))).requiringGrad()
            }
        }
        func setGrads(_ params: [Tensor], step: Int) {
            for (i, p) in params.enumerated() {
                p.grad = Tensor(
                    shape: p.shape, scalars: OptimTestSupport.values(p.count, seed: UInt64(50 + 10 * step + i)))
            }
        }
        let params = makeParams()
        let opt = SGD(parameters: params, learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3)
        for s in 0..<4 { setGrads(params, step: s); opt.step() }
        let saved = opt.state()
        let savedParams = params.map { $0.copy() }
        for s in 4..<7 { setGrads(params, step: s); opt.step() }

        let resumed = makeParams()
        for (r, s) in zip(resumed, savedParams) { r.assign(s) }
        let opt2 = SGD(parameters: resumed, learningRate: 1)
        try opt2.load(saved)
        #expect(opt2.nesterov && opt2.momentum == 0.9 && opt2.learningRate == 0.05)
        for s in 4..<7 { setGrads(resumed, step: s); opt2.step() }
        for (a, b) in zip(params, resumed) { #expect(OptimTestSupport.bits(a) == OptimTestSupport.bits(b)) }

        let wrongShape = SGD(
            parameters: [Tensor.zeros([20_000]).requiringGrad(), Tensor.zeros([16]).requiringGrad()], learningRate: 1)
        #expect(throws: OptimizerStateError.shapeMismatch(buffer: "momentum.1", expected: [16], found: [17])) {
            try wrongShape.load(saved)
        }
        var missing = saved
        missing.tensors["momentum.0"] = nil
        #expect(throws: OptimizerStateError.missingBuffer("momentum.0")) { try opt2.load(missing) }
        let tooMany = SGD(parameters: makeParams() + [Tensor.zeros([1]).requiringGrad()], learningRate: 1)
        #expect(throws: OptimizerStateError.parameterCountMismatch(expected: 3, found: 2)) { try tooMany.load(saved) }
    }
}
