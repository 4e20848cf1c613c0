import Testing

@testable import TensorEngine

/// The fused LoRA op gives the values and gradients of the same sum written as separate ops, with the adapter's input
/// the layer's input or a function of it (dropout's place), and keeps no graph through the frozen base.
@Suite struct LowRankAdaptedTests {
    @Test(arguments: [false, true])
    func matchesTheComposedOps(_ separateInput: Bool) throws {
        var generator = RandomGenerator(seed: 5)
        let w = Tensor.randn([6, 4], generator: &generator)  // frozen base [out, in]
        let a = Tensor.randn([2, 4], generator: &generator).requiringGrad()
        let b = Tensor.randn([6, 2], generator: &generator).requiringGrad()
        let x0 = Tensor.randn([3, 2, 4], generator: &generator)
        let weights = Tensor.randn([3, 2, 6], generator: &generator)
        func run(fused: Bool) throws -> [[Float]] {
            a.grad = nil
            b.grad = nil
            let x = x0.copy().requiringGrad()
            let input = separateInput ? x * 0.5 : x
            let y =
                fused
                ? lowRankAdapted(
                    x, adapterInput: input, a: a, b: b, scale: 1.5, base: { linear($0, weight: w) },
                    baseInputGradient: { matmul($0, w) })
                : linear(x, weight: w) + matmul(matmul(input, a, transposeB: true), b, transposeB: true) * 1.5
            (y * weights).sum().backward()
            return [
                y.scalars, try #require(x.grad).scalars, try #require(a.grad).scalars, try #require(b.grad).scalars,
            ]
        }
        let composed = try run(fused: false), fused = try run(fused: true)
        for (got, want) in zip(fused, composed) {
            #expect(zip(got, want).allSatisfy { abs($0 - $1) <= 1e-6 + 1e-5 * abs($1) })
        }
    }
}
