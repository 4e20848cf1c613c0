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
