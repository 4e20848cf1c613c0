import TensorEngine
import Testing

@testable import Alignment

/// Per-token rewards against rl.json "reward_shaping" (1e-5 relative + 1e-6 absolute), per row of a batch.
@Suite struct RewardShapingTests {
    @Test func matchesTheReference() throws {
        let f = try RLFixtures.load().rewardShaping
        let shape = [1, f.logp.count]
        let rewards = shapedRewards(
            scores: Tensor([f.score]), logProbs: Tensor(f.logp, shape: shape),
            referenceLogProbs: Tensor(f.logpRef, shape: shape), mask: Tensor(f.mask, shape: shape),
            klCoefficient: f.klCoef)
        #expect(rewards.shape == shape)
        expectClose(rewards, f.rewards, "rewards")
    }

    @Test func eachRowGetsItsScoreAtItsLastResponseToken() {
        // Row 0: prompt, two response tokens, padding. Row 1: a response filling the row. Identical policies: no penalty.
        let logp = Tensor(shape: [2, 4], scalars: [.nan, -1, -2, .nan, -0.5, -1, -1.5, -2])
        let mask = Tensor(shape: [2, 4], scalars: [0, 1, 1, 0, 1, 1, 1, 1])
        let rewards = shapedRewards(
            scores: Tensor([3, -2]), logProbs: logp, referenceLogProbs: logp, mask: mask,
            klCoefficient: 0.1, estimator: .k3)
        #expect(rewards.scalars == [0, 0, 3, 0, 0, 0, 0, -2])
    }
}
