import Foundation
import Testing

@testable import TensorEngine

@Suite("AdamW")
struct AdamWTests {
    @Test("matches torch.optim.AdamW over three steps")
    func torchParity() throws {
        let file = try Fixtures.ops()
        let p0 = try file.tensor("adamw.p0")
        let grads = try file.tensor("adamw.grads")
        let expected = try file.tensor("adamw.params")
        let p = p0.copy().requiringGrad()
        let opt = AdamW(parameters: [p], learningRate: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1)
        for s in 0..<3 {
            p.grad = Tensor(shape: p.shape, scalars: OptimTestSupport.row(grads, s))
            opt.step()
            let want = OptimTestSupport.row(expected, s)
            #expect(OptimTestSupport.close(p.scalars, want), "step \(s + 1): \(p.scalars) vs \(want)")
        }
    }

    @Test("vector path, scalar tail and parallel split agree with a scalar Double reference")
    func largeParameterMatchesReference() {
        // Sizes straddle the 16-wide vector path, the scalar tail and the parallel grain.
        let shapes = [[300, 257], [257], [3], [40_000]]
        let params = shapes.enumerated().map { i, s in
            Tensor(shape: s, scalars: OptimTestSupport.values(s.reduce(1, *), seed: UInt64(i))).requiringGrad()
        }
        let refs = params.map { $0.scalars.map(Double.init) }
        var m = params.map { [Double](repeating: 0, count: $0.count) }
        var v = m
        let (lr, b1, b2, eps, wd) = (1e-3, 0.9, 0.999, 1e-8, 0.01)
        var ref = refs
        let opt = AdamW(parameters: params, learningRate: Float(lr), weightDecay: Float(wd))
        for t in 1...4 {
            for (i, p) in params.enumerated() {
                let g = OptimTestSupport.values(p.count, seed: UInt64(100 * t + i))
                p.grad = Tensor(shape: p.shape, scalars: g)
                let bc1 = 1 - pow(b1, Double(t)), bc2 = 1 - pow(b2, Double(t))
                for j in 0..<p.count {
                    let gj = Double(g[j])
                    ref[i][j] *= 1 - lr * wd
                    m[i][j] = b1 * m[i][j] + (1 - b1) * gj
                    v[i][j] = b2 * v[i][j] + (1 - b2) * gj * gj
                    ref[i][j] -= lr / bc1 * m[i][j] / (v[i][j].squareRoot() / bc2.squareRoot() + eps)
                }
            }
            opt.step()
        }
        for (i, p) in params.enumerated() {
            let want = ref[i].map { Float($0) }
            #expect(OptimTestSupport.close(p.scalars, want, atol: 1e-6, rtol: 1e-5), "parameter \(i)")
        }
    }

    @Test("parameters without a gradient are skipped and keep no state")
    func skipsNilGrad() {
        let a = Tensor(shape: [4], scalars: [1, 2, 3, 4]).requiringGrad()
        let b = Tensor(shape: [2], scalars: [5, 6]).requiringGrad()
        let opt = AdamW(parameters: [a, b], learningRate: 0.1)
        a.grad = Tensor(shape: [4], scalars: [1, 1, 1, 1])
        opt.step()
        #expect(b.scalars == [5, 6])
        #expect(a.scalars != [1, 2, 3, 4])
        let state = opt.state()
        #expect(state.metadata.steps == [1, 0])
        #expect(Set(state.tensors.keys) == ["exp_avg.0", "exp_avg_sq.0"])
        opt.zeroGrad()
        #expect(a.grad == nil && b.grad == nil)
    }

    @Test("save, continue and resume give bit-identical parameters")
    func stateRoundTripIsBitExact() throws {
        func makeParams() -> [Tensor] {
            [[64, 33], [33], [5]].enumerated().map { i, s in
                Tensor(shape: s, scalars: OptimTestSupport.values(s.reduce(1, *), seed: UInt64(7 + i))).requiringGrad()
            }
        }
        func setGrads(_ params: [Tensor], step: Int) {
            for (i, p) in params.enumerated() {
                // Parameter 2 skips every third step, so per-parameter step counts diverge.
                if i == 2 && step % 3 == 0 { p.grad = nil; continue }
                p.grad = Tensor(
                    shape: p.shape, scalars: OptimTestSupport.values(p.count, seed: UInt64(1000 + 10 * step + i)))
            }
        }
        let params = makeParams()
        let opt = AdamW(parameters: params, learningRate: 3e-3, weightDecay: 0.05)
        for s in 0..<5 { setGrads(params, step: s); opt.step() }
        let saved = opt.state()
        let savedParams = params.map { $0.copy() }
        for s in 5..<9 { setGrads(params, step: s); opt.step() }

        let resumed = makeParams()
        for (r, s) in zip(resumed, savedParams) { r.assign(s) }
        let opt2 = AdamW(parameters: resumed)  // Different hyperparameters: load must restore them.
        try opt2.load(saved)
        #expect(opt2.learningRate == 3e-3 && opt2.weightDecay == 0.05)
        for s in 5..<9 { setGrads(resumed, step: s); opt2.step() }
        for (a, b) in zip(params, resumed) { #expect(OptimTestSupport.bits(a) == OptimTestSupport.bits(b)) }

        // The snapshot is a copy: training after state() did not change it.
        #expect(saved.metadata.steps == [5, 5, 3])
        #expect(
            OptimTestSupport.bits(opt.state().tensors["exp_avg.0"]!)
                != OptimTestSupport.bits(saved.tensors["exp_avg.0"]!))

        // The scalar part survives JSON exactly.
        let json = try JSONEncoder().encode(saved.metadata)
        #expect(try JSONDecoder().decode(OptimizerState.Metadata.self, from: json) == saved.metadata)
    }

    @Test("loading a state that does not fit throws and changes nothing")
    func mismatchedStateThrows() throws {
        let a = Tensor.zeros([3]).requiringGrad(), b = Tensor.zeros([2, 2]).requiringGrad()
        let src = AdamW(parameters: [a, b])
        a.grad = Tensor.ones([3]); b.grad = Tensor.ones([2, 2])
        src.step()
        let good = src.state()

        let other = AdamW(
            parameters: [Tensor.zeros([3]).requiringGrad(), Tensor.zeros([4]).requiringGrad()], learningRate: 0.5)
        #expect(throws: OptimizerStateError.shapeMismatch(buffer: "exp_avg.1", expected: [4], found: [2, 2])) {
            try other.load(good)
        }
        #expect(other.learningRate == 0.5 && other.state().metadata.steps == [0, 0])

        let fewer = AdamW(parameters: [Tensor.zeros([3]).requiringGrad()])
        #expect(throws: OptimizerStateError.parameterCountMismatch(expected: 1, found: 2)) { try fewer.load(good) }

        let fresh = AdamW(parameters: [Tensor.zeros([3]).requiringGrad(), Tensor.zeros([2, 2]).requiringGrad()])
        var missing = good
        missing.tensors["exp_avg_sq.0"] = nil
        #expect(throws: OptimizerStateError.missingBuffer("exp_avg_sq.0")) { try fresh.load(missing) }
        var extra = good
        extra.tensors["momentum.0"] = Tensor.zeros([3])
        #expect(throws: OptimizerStateError.unexpectedBuffer("momentum.0")) { try fresh.load(extra) }
        var noLR = good
        noLR.metadata.hyperparameters["lr"] = nil
        #expect(throws: OptimizerStateError.missingHyperparameter("lr")) { try fresh.load(noLR) }

        let sgd = SGD(
            parameters: [Tensor.zeros([3]).requiringGrad(), Tensor.zeros([2, 2]).requiringGrad()], learningRate: 0.1)
        #expect(throws: OptimizerStateError.kindMismatch(expected: "SGD", found: "AdamW")) { try sgd.load(good) }
        try fresh.load(good)
    }

    @Test("moment buffers are allocated once and reused by later steps")
    func buffersAreReused() {
        let p = Tensor.zeros([100]).requiringGrad()
        let opt = AdamW(parameters: [p])
        p.grad = Tensor.ones([100])
        opt.step()
        let m = opt.expAvg[0], v = opt.expAvgSq[0]
        opt.step()
        #expect(m != nil && opt.expAvg[0] === m && opt.expAvgSq[0] === v)
        #expect(abs(m!.scalars[0] - 0.19) < 1e-6)  // 0.9·0.1 + 0.1·1
    }
}
