import Testing

@testable import TensorEngine

/// Activation checkpointing: the recomputed backward pass gives the gradients of the plain one, for the input and
/// for weights read inside, keeps no graph inside the block, and is a plain call without gradients.
@Suite struct CheckpointingTests {
    @Test func recomputationGivesThePlainGradients() throws {
        var generator = RandomGenerator(seed: 11)
        let w = Tensor.randn([4, 6], generator: &generator).requiringGrad()
        let v = Tensor.randn([6, 3], generator: &generator).requiringGrad()
        let x0 = Tensor.randn([5, 4], generator: &generator)
        func block(_ x: Tensor) -> Tensor { matmul(matmul(x, w).gelu(approximate: .tanh), v) }
        func run(checkpointing: Bool) throws -> [[Float]] {
            w.grad = nil
            v.grad = nil
            let x = x0.copy().requiringGrad()
            let h = x * 2
            let y = checkpointing ? checkpointed(h, parameters: [w, v], block) : block(h)
            if checkpointing { #expect(y.nodeInputCount == 3, "one node: the input and the two weights") }
            (y * y).sum().backward()
            return [try #require(x.grad).scalars, try #require(w.grad).scalars, try #require(v.grad).scalars]
        }
        let plain = try run(checkpointing: false), recomputed = try run(checkpointing: true)
        for (a, b) in zip(recomputed, plain) {
            #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-6 + 1e-5 * abs($1) })
        }
        // Only the weights need gradients (a frozen input): they still get them.
        w.grad = nil
        (checkpointed(x0, parameters: [w, v], block).sum()).backward()
        #expect(w.grad != nil)
        // Without gradients it is the block itself.
        let direct = withNoGrad { checkpointed(x0, parameters: [w, v], block) }
        #expect(direct.scalars == withNoGrad { block(x0) }.scalars)
    }
}

extension Tensor {
    /// How many inputs the op that made this tensor has (0 for a leaf).
    fileprivate var nodeInputCount: Int { node?.inputs.count ?? 0 }
}
