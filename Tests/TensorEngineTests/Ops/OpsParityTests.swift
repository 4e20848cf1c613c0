import Foundation
import Testing

@testable import TensorEngine

/// Every op's forward and input gradients against PyTorch (fixtures `ops.safetensors`: `<case>.<input>`,
/// `<case>.out`, `<case>.dout`, `<case>.grad_<input>`), within 1e-5 relative / 1e-6 absolute.
@Suite struct OpsParityTests {
    /// Runs `op` on the case's float inputs, compares the output, back-propagates `dout` and compares each gradient.
    func check(_ name: String, inputs: [String], grads: [String]? = nil, _ op: ([Tensor]) throws -> Tensor) throws {
        let file = try Fixtures.ops()
        let xs = try inputs.map { try file.tensor("\(name).\($0)").requiringGrad() }
        let out = try op(xs)
        expectClose(out, try file.tensor("\(name).out"), "\(name) output")
        let dout = try file.tensor("\(name).dout")
        out.backward(dout.reshaped(out.shape))
        for input in grads ?? inputs {
            let i = try #require(inputs.firstIndex(of: input))
            let g = try #require(xs[i].grad, "\(name): no gradient for \(input)")
            expectClose(g, try file.tensor("\(name).grad_\(input)"), "\(name) grad_\(input)")
        }
    }

    @Test func matmul2D() throws { try check("matmul", inputs: ["a", "b"]) { matmul($0[0], $0[1]) } }
    @Test func batchedMatmul() throws { try check("bmm", inputs: ["a", "b"]) { matmul($0[0], $0[1]) } }
    @Test func matmulTransposedB() throws {
        try check("matmul_bt", inputs: ["a", "b"]) { matmul($0[0], $0[1], transposeB: true) }
    }
    @Test func addBroadcast() throws { try check("add_broadcast", inputs: ["a", "b"]) { $0[0] + $0[1] } }
    @Test func mulBroadcast() throws { try check("mul_broadcast", inputs: ["a", "b"]) { $0[0] * $0[1] } }
    @Test func layerNormalization() throws {
        try check("layer_norm", inputs: ["x", "w", "b"]) { layerNorm($0[0], weight: $0[1], bias: $0[2], eps: 1e-5) }
    }
    @Test func rmsNormalization() throws {
        try check("rms_norm", inputs: ["x", "w"]) { rmsNorm($0[0], weight: $0[1], eps: 1e-6) }
    }
    @Test func softmaxLastAxis() throws { try check("softmax", inputs: ["x"]) { $0[0].softmax(axis: -1) } }
    @Test func logSoftmaxLastAxis() throws { try check("log_softmax", inputs: ["x"]) { $0[0].logSoftmax(axis: -1) } }
    @Test func geluTanh() throws { try check("gelu_tanh", inputs: ["x"]) { $0[0].gelu(approximate: .tanh) } }
    @Test func geluErf() throws { try check("gelu_erf", inputs: ["x"]) { $0[0].gelu(approximate: .none) } }
    @Test func siluActivation() throws { try check("silu", inputs: ["x"]) { $0[0].silu() } }
    @Test func swigluActivation() throws {
        try check("swiglu", inputs: ["gate", "up"]) { swiglu(gate: $0[0], up: $0[1]) }
    }

    @Test func embeddingLookup() throws {
        let ids = try Fixtures.ops().intTensor("embedding.ids")
        try check("embedding", inputs: ["table"]) { embedding($0[0], ids) }
    }
    @Test func crossEntropyWithIgnoreIndex() throws {
        let targets = try Fixtures.ops().intTensor("cross_entropy.targets")
        #expect(targets.scalars.contains(-100), "the fixture exercises ignore_index")
        try check("cross_entropy", inputs: ["logits"]) { crossEntropy($0[0], targets: targets, ignoreIndex: -100) }
    }
    @Test func tokenLogProbabilities() throws {
        let tokens = try Fixtures.ops().intTensor("token_logprobs.tokens")
        try check("token_logprobs", inputs: ["logits"]) { tokenLogProbs($0[0], tokens: tokens) }
    }
    @Test func entropyOfLogits() throws { try check("entropy", inputs: ["logits"]) { entropy($0[0]) } }
    @Test func causalAttention() throws {
        try check("causal_attention", inputs: ["q", "k", "v"]) {
            scaledDotProductAttention(q: $0[0], k: $0[1], v: $0[2], causal: true, scale: 0.5)
        }
    }
    @Test func rotaryEmbedding() throws {
        let t = try Fixtures.ops().shape(of: "rope.x")![2]
        try check("rope", inputs: ["x"]) { rope($0[0], positions: IntTensor(Array(0..<t)), base: 10_000) }
    }
}
