import Testing

@testable import Alignment

/// Micro-batches (`microBatchSize`) split a minibatch's forward and backward passes and add their gradients, each
/// weighted by its share of the response tokens: the same step as the whole minibatch at once, up to rounding.
@Suite struct PPOMicroBatchTests {
    let toy = PPOTrainerTests()

    func record(microBatchSize: Int) throws -> [String: Double] {
        var c = toy.config(iterations: 2)
        c.ppoEpochs = 1
        c.minibatchSize = c.promptsPerIteration
        c.microBatchSize = microBatchSize
        return try toy.trainer(c, output: nil).run()[1]
    }

    @Test func microBatchesGiveTheWholeMinibatchStep() throws {
        let whole = try record(microBatchSize: 0)
        for size in [1, 3] {
            let split = try record(microBatchSize: size)
            for key in [
                "policy_loss", "value_loss", "actor_grad_norm", "critic_grad_norm", "approx_kl", "reward", "kl",
            ] {
                let (a, b) = (whole[key]!, split[key]!)
                #expect(abs(a - b) <= 1e-4 * max(1, abs(a)), "\(key) at micro-batch \(size): \(b) vs \(a)")
            }
        }
    }

    @Test func piecesSplitTheShareByTokens() {
        let tokens = [3, 0, 1, 4, 2]
        let pieces = PPOTrainer.microBatches([0, 1, 2, 3, 4], share: 0.5, size: 2, tokens: { tokens[$0] })
        #expect(pieces.map(\.rows) == [[0, 1], [2, 3], [4]])
        let expected: [Double] = [0.15, 0.25, 0.1]
        #expect(zip(pieces.map(\.share), expected).allSatisfy { abs($0 - $1) < 1e-15 } && pieces.count == 3)
        #expect(PPOTrainer.microBatches([1], share: 1, size: 2, tokens: { tokens[$0] }).isEmpty, "no tokens, no piece")
        #expect(PPOTrainer.microBatches([0, 3], share: 1, size: 0, tokens: { tokens[$0] }).map(\.rows) == [[0, 3]])
    }

    @Test func negativeSizeIsRefused() {
        var c = PPOConfig()
        c.microBatchSize = -1
        #expect(c.problem?.contains("microBatchSize") == true)
    }
}
