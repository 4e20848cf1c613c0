import Foundation
import Testing

@testable import TensorEngine

/// The tape's semantics: accumulation, zeroGrad, detach, no-grad scopes, graph release.
@Suite struct AutodiffTests {
    @Test func gradientsAccumulateAcrossBackwardCalls() {
        let w = Tensor(shape: [2], scalars: [1, 2]).requiringGrad()
        (w * 3).sum().backward()
        (w * w).sum().backward()
        #expect(w.grad?.scalars == [3 + 2, 3 + 4])
        w.zeroGrad()
        #expect(w.grad == nil)
        (w * 3).sum().backward()
        #expect(w.grad?.scalars == [3, 3])
    }

    @Test func detachStopsGradients() {
        let w = Tensor(shape: [2], scalars: [1, 2]).requiringGrad()
        let y = (w * w.detached()).sum()
        y.backward()
        #expect(w.grad?.scalars == [1, 2])
        #expect(!w.detached().requiresGrad)
    }

    @Test func noGradScopeRecordsNothing() {
        let w = Tensor(shape: [2], scalars: [1, 2]).requiringGrad()
        let y = withNoGrad { (w * w).exp() }
        #expect(!y.requiresGrad)
        #expect(y.node == nil)
        #expect(GradMode.enabled)
        let z = w * w
        #expect(z.requiresGrad)
    }

    @Test func noGradScopeKeepsNoActivations() {
        weak var weakIntermediate: TensorStorage?
        let w = Tensor.ones([64]).requiringGrad()
        let y: Tensor = withNoGrad {
            let h = w.exp()
            weakIntermediate = h.storage
            return h.sum()
        }
        #expect(weakIntermediate == nil, "the intermediate is freed as soon as the scope no longer uses it")
        #expect(y.item() > 0)
    }

    /// An op whose backward reads none of its inputs (an addition, a shape op) does not keep them: a product added to
    /// something is freed during the forward, and the gradients are the same.
    @Test func anInputNoOpReadsIsFreedBeforeBackward() {
        weak var weakProduct: TensorStorage?
        let x = Tensor.ones([2, 3]).requiringGrad(), w = Tensor.full([3, 4], 0.5).requiringGrad()
        let loss: Tensor = {
            let product = matmul(x, w)
            weakProduct = product.storage
            return ((product + 1).transposed(0, 1) * 3).sum()
        }()
        #expect(weakProduct == nil, "nothing downstream reads the product's values")
        loss.backward()
        // d/dx Σ 3(xW + 1) = 3 · (row sums of W) = 6; d/dW = 3 · (column sums of x) = 6.
        #expect(x.grad?.scalars == [Float](repeating: 6, count: 6))
        #expect(w.grad?.scalars == [Float](repeating: 6, count: 12))
    }

    /// A result its own op's backward reads (softmax) is kept while the graph lives, whatever consumes it, and freed by
    /// the backward pass.
    @Test func aResultItsOwnBackwardReadsIsKeptUntilBackward() {
        weak var weakSoftmax: TensorStorage?
        let values: [Float] = [1, 2, 3, 0, -1, 4], upstream: [Float] = [1, 0, 0, 0, 2, 1]
        let x = Tensor(shape: [2, 3], scalars: values).requiringGrad()
        let y: Tensor = {
            let s = x.softmax()
            weakSoftmax = s.storage
            return s.transposed(0, 1)
        }()
        #expect(weakSoftmax != nil, "softmax's backward reads its result")
        y.backward(Tensor(shape: [3, 2], scalars: upstream))
        #expect(weakSoftmax == nil, "backward frees it")
        // dx = s ∘ (g − ⟨g, s⟩) per row, g the upstream gradient transposed back.
        var expected: [Float] = []
        for row in 0..<2 {
            let e = (0..<3).map { Foundation.exp(Double(values[row * 3 + $0])) }
            let s = e.map { $0 / e.reduce(0, +) }, g = (0..<3).map { Double(upstream[$0 * 2 + row]) }
            let dot = zip(s, g).map(*).reduce(0, +)
            expected += (0..<3).map { Float(s[$0] * (g[$0] - dot)) }
        }
        let worst = zip(x.grad!.scalars, expected).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-6, "gradient \(x.grad!.scalars) against \(expected)")
    }

    @Test func backwardReleasesTheGraph() {
        weak var weakIntermediate: TensorStorage?
        let w = Tensor.ones([64]).requiringGrad()
        var loss: Tensor? = {
            let h = w.exp()
            weakIntermediate = h.storage
            return (h * h).sum()
        }()
        #expect(weakIntermediate != nil, "the graph keeps activations until backward")
        loss!.backward()
        #expect(weakIntermediate == nil, "backward frees them")
        loss = nil
    }

    @Test func unusedGraphIsFreedWithoutBackward() {
        // Ops must not capture their own result strongly (a cycle would leak every eval-mode forward).
        weak var weakResult: Tensor?
        let w = Tensor.ones([8]).requiringGrad()
        do {
            let y = (w / (w + 1)).exp().log().sqrt().gelu(approximate: .none).silu().tanh().sigmoid()
            weakResult = y
            #expect(y.requiresGrad)
        }
        #expect(weakResult == nil)
    }

    @Test func nonScalarBackwardTakesAnUpstreamGradient() {
        let w = Tensor(shape: [3], scalars: [1, 2, 3]).requiringGrad()
        (w * w).backward(Tensor(shape: [3], scalars: [1, 0, 2]))
        #expect(w.grad?.scalars == [2, 0, 12])
    }

    @Test func diamondGraphSumsBothPaths() {
        let x = Tensor(shape: [1], scalars: [3]).requiringGrad()
        let a = x * 2, b = x * x
        (a * b).sum().backward()  // d(2x·x²)/dx = 6x² = 54
        #expect(x.grad?.scalars == [54])
    }
}
