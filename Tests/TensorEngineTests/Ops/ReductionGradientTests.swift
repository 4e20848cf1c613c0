import Testing

@testable import TensorEngine

/// Reductions: values and finite-difference gradients.
@Suite struct ReductionGradientTests {
    @Test func values() {
        let x = Tensor(shape: [2, 3], scalars: [1, 5, 3, -2, 0, 4])
        #expect(x.sum().item() == 11)
        #expect(x.sum(axis: 0).scalars == [-1, 5, 7])
        #expect(x.sum(axis: 1, keepDims: true).shape == [2, 1])
        #expect(x.mean(axis: 1).scalars == [3, 2 / 3])
        #expect(x.max(axis: 1).scalars == [5, 4])
        #expect(x.max(axes: [0, 1]).item() == 5)
        #expect(x.sum(axes: [0, 1], keepDims: true).shape == [1, 1])
        let lse = x.logsumexp(axis: 1).scalars
        #expect(abs(lse[0] - 5.1429316) < 1e-5 && abs(lse[1] - 4.0205811) < 1e-5)
        // Large values must not overflow.
        #expect(abs(Tensor(shape: [2], scalars: [1000, 1000]).logsumexp(axis: 0).item() - 1000.6931) < 1e-3)
    }

    @Test func gradients() {
        let x = randomTensor([3, 4, 5], seed: 21)
        expectGradientsMatchFiniteDifferences([x]) { $0[0].sum() }
        expectGradientsMatchFiniteDifferences([x]) { $0[0].mean() }
        for axis in [0, 1, 2, -1] {
            expectGradientsMatchFiniteDifferences([x]) { $0[0].sum(axis: axis) }
            expectGradientsMatchFiniteDifferences([x]) { $0[0].mean(axis: axis, keepDims: true) }
            expectGradientsMatchFiniteDifferences([x]) { $0[0].max(axis: axis) }
            expectGradientsMatchFiniteDifferences([x]) { $0[0].logsumexp(axis: axis) }
        }
        expectGradientsMatchFiniteDifferences([x]) { $0[0].sum(axes: [0, 2]) }
        expectGradientsMatchFiniteDifferences([x]) { $0[0].mean(axes: [1, 2], keepDims: true) }
        expectGradientsMatchFiniteDifferences([x]) { $0[0].max(axes: [0, 1]) }
        expectGradientsMatchFiniteDifferences([x]) { $0[0].logsumexp(axes: [0, 2]) }
    }
}
