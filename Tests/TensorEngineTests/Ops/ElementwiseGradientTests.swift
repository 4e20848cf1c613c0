import Testing

@testable import TensorEngine

/// Finite-difference checks of the elementwise and broadcasting ops (step 1e-2, tolerance 2e-3 + 1e-2·|g|).
@Suite struct ElementwiseGradientTests {
    /// Values in [0.5, 2]: away from the kinks of abs/clamp and inside the domains of log, sqrt, rsqrt, pow.
    func positive(_ shape: [Int], seed: UInt64) -> Tensor {
        var gen = RandomGenerator(seed: seed)
        return Tensor.uniform(shape, low: 0.5, high: 2, generator: &gen)
    }

    @Test func broadcastArithmetic() {
        let a = randomTensor([2, 3, 4], seed: 1), b = randomTensor([3, 1], seed: 2), c = positive([4], seed: 3)
        expectGradientsMatchFiniteDifferences([a, b]) { $0[0] + $0[1] }
        expectGradientsMatchFiniteDifferences([a, b]) { $0[0] - $0[1] }
        expectGradientsMatchFiniteDifferences([a, b]) { $0[1] - $0[0] }
        expectGradientsMatchFiniteDifferences([a, b]) { $0[0] * $0[1] }
        expectGradientsMatchFiniteDifferences([a, c]) { $0[0] / $0[1] }
        expectGradientsMatchFiniteDifferences([c, a]) { $0[0] / $0[1].abs().clamped(min: 0.5) }
    }

    @Test func scalarArithmetic() {
        let a = randomTensor([3, 5], seed: 4), p = positive([3, 5], seed: 5)
        expectGradientsMatchFiniteDifferences([a]) { ($0[0] + 2) * 3 - 1 }
        expectGradientsMatchFiniteDifferences([a]) { 2 - $0[0] / 4 }
        expectGradientsMatchFiniteDifferences([p]) { 1.5 / $0[0] }
        expectGradientsMatchFiniteDifferences([a]) { -$0[0] }
    }

    @Test func transcendental() {
        let a = randomTensor([4, 6], seed: 6), p = positive([4, 6], seed: 7)
        expectGradientsMatchFiniteDifferences([a]) { $0[0].exp() }
        expectGradientsMatchFiniteDifferences([p]) { $0[0].log() }
        expectGradientsMatchFiniteDifferences([p]) { $0[0].sqrt() }
        expectGradientsMatchFiniteDifferences([p]) { $0[0].rsqrt() }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].tanh() }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].sigmoid() }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].logSigmoid() }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].softplus() }
        expectGradientsMatchFiniteDifferences([p]) { $0[0].pow(2.5) }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].pow(2) }
    }

    @Test func piecewise() {
        // Keep every value at least 0.1 from the kinks at 0 (abs) and ±0.5 (clamp) so ±h never crosses one.
        let raw: [Float] = [-1.3, -0.8, -0.3, -0.15, 0.2, 0.35, 0.7, 1.1, 1.6, -2.2, 0.9, -0.65]
        let x = Tensor(shape: [3, 4], scalars: raw)
        expectGradientsMatchFiniteDifferences([x]) { $0[0].abs() }
        expectGradientsMatchFiniteDifferences([x]) { $0[0].clamped(min: -0.5, max: 0.5) }
    }

    @Test func activations() {
        let a = randomTensor([3, 20], seed: 8, scale: 2), b = randomTensor([3, 20], seed: 9)
        expectGradientsMatchFiniteDifferences([a]) { $0[0].gelu(approximate: .tanh) }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].gelu(approximate: .none) }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].silu() }
        expectGradientsMatchFiniteDifferences([a, b]) { swiglu(gate: $0[0], up: $0[1]) }
    }

    @Test func dropoutUsesOneMaskForwardAndBackward() {
        let x = randomTensor([4, 8], seed: 10)
        expectGradientsMatchFiniteDifferences([x]) { xs in
            var gen = RandomGenerator(seed: 99)  // the same mask on every evaluation
            return dropout(xs[0], p: 0.3, generator: &gen)
        }
        var gen = RandomGenerator(seed: 1)
        #expect(dropout(x, p: 0.3, training: false, generator: &gen) === x)
        let big = Tensor.ones([10_000])
        let kept = dropout(big, p: 0.25, generator: &gen).scalars
        let zeros = kept.filter { $0 == 0 }.count
        #expect(abs(Float(zeros) / 10_000 - 0.25) < 0.02)
        #expect(kept.allSatisfy { $0 == 0 || abs($0 - 1 / 0.75) < 1e-6 })
    }
}
