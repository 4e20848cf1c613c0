import Testing

@testable import TensorEngine

@Suite("GradientClipping")
struct GradientClippingTests {
    @Test("matches torch.nn.utils.clip_grad_norm_")
    func torchParity() throws {
        let file = try Fixtures.ops()
        let p1 = Tensor.zeros([4, 3]).requiringGrad(), p2 = Tensor.zeros([7]).requiringGrad()
        p1.grad = try file.tensor("clip_grad_norm.g1")
        p2.grad = try file.tensor("clip_grad_norm.g2")
        let norm = clipGradNorm([p1, p2], maxNorm: 1.0)
        let wantNorm = try file.tensor("clip_grad_norm.total_norm").scalars
        #expect(OptimTestSupport.close([norm], wantNorm), "\(norm) vs \(wantNorm)")
        #expect(OptimTestSupport.close(p1.grad!.scalars, try file.tensor("clip_grad_norm.out_g1").scalars))
        #expect(OptimTestSupport.close(p2.grad!.scalars, try file.tensor("clip_grad_norm.out_g2").scalars))
    }

    @Test("a NaN gradient gives a NaN norm and leaves every gradient untouched")
    func nanIsReportedNotApplied() {
        let a = Tensor.zeros([3]).requiringGrad(), b = Tensor.zeros([2]).requiringGrad()
        a.grad = Tensor(shape: [3], scalars: [10, 20, 30])
        b.grad = Tensor(shape: [2], scalars: [.nan, 1])
        let norm = clipGradNorm([a, b], maxNorm: 1)
        #expect(norm.isNaN)
        #expect(a.grad!.scalars == [10, 20, 30])
        #expect(b.grad!.scalars[1] == 1 && b.grad!.scalars[0].isNaN)
    }

    @Test("an infinite gradient is reported and not applied")
    func infinityIsReportedNotApplied() {
        let a = Tensor.zeros([2]).requiringGrad()
        a.grad = Tensor(shape: [2], scalars: [.infinity, 1])
        #expect(clipGradNorm([a], maxNorm: 1) == .infinity)
        #expect(a.grad!.scalars == [.infinity, 1])
    }

    @Test("gradients within the limit are unchanged; nil gradients are ignored")
    func belowLimitAndNil() {
        let a = Tensor.zeros([2]).requiringGrad(), b = Tensor.zeros([5]).requiringGrad()
        a.grad = Tensor(shape: [2], scalars: [0.3, 0.4])
        #expect(abs(clipGradNorm([a, b], maxNorm: 1) - 0.5) < 1e-7)
        #expect(a.grad!.scalars == [0.3, 0.4] && b.grad == nil)
        #expect(clipGradNorm([b], maxNorm: 1) == 0)
    }

    @Test("large gradients split across threads match a Double reference")
    func largeMatchesReference() {
        let shapes = [[512, 300], [300], [70_001]]
        let params = shapes.map { Tensor.zeros($0).requiringGrad() }
        var sum = 0.0
        for (i, p) in params.enumerated() {
            let g = OptimTestSupport.values(p.count, seed: UInt64(i + 11))
            p.grad = Tensor(shape: p.shape, scalars: g)
            sum += g.reduce(0.0) { $0 + Double($1) * Double($1) }
        }
        let before = params.map { $0.grad!.scalars }
        let norm = clipGradNorm(params, maxNorm: 2)
        let want = sum.squareRoot()
        #expect(abs(Double(norm) - want) <= 1e-6 * want)
        let coef = Float(2 / (Double(norm) + 1e-6))
        for (p, b) in zip(params, before) {
            #expect(OptimTestSupport.close(p.grad!.scalars, b.map { $0 * coef }, atol: 0, rtol: 1e-6))
        }
    }
}
