import Foundation
import Testing

@testable import TensorEngine

/// Optimizer snapshots survive a trip through a file, and a wrong file is refused with a clear error.
@Suite struct OptimizerStateFileTests {
    func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-\(UUID().uuidString)-\(name)")
    }

    @Test func fileRoundTripResumesBitExactly() throws {
        func params() -> [Tensor] {
            [randomTensor([7, 5], seed: 1).requiringGrad(), randomTensor([5], seed: 2).requiringGrad()]
        }
        func grads(_ ps: [Tensor], _ step: Int) {
            for (i, p) in ps.enumerated() { p.grad = randomTensor(p.shape, seed: UInt64(100 * step + i)) }
        }
        let a = params()
        let optA = AdamW(parameters: a, learningRate: 1e-2, weightDecay: 0.1)
        for s in 0..<3 { grads(a, s); optA.step() }
        let url = temporaryURL("adamw.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try optA.state().save(to: url)
        let b = params()
        for (x, y) in zip(b, a) { x.assign(y) }
        let optB = AdamW(parameters: b)
        try optB.load(try OptimizerState.load(from: url))
        for s in 3..<6 { grads(a, s); optA.step(); grads(b, s); optB.step() }
        for (x, y) in zip(a, b) { #expect(x.scalars.map(\.bitPattern) == y.scalars.map(\.bitPattern)) }
    }

    @Test func aPlainTensorFileIsRefused() throws {
        let url = temporaryURL("weights.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Safetensors.write(["w": Tensor.ones([2])], to: url)
        #expect {
            _ = try OptimizerState.load(from: url)
        } throws: { error in
            "\(error)".contains("not an optimizer state file")
        }
    }
}
