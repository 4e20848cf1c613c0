import TensorEngine
import Testing

@testable import Alignment

/// Group-normalised advantages against rl.json "grpo_advantages" (1e-5 relative + 1e-6 absolute), grouped and flat.
@Suite struct GRPOAdvantagesTests {
    @Test func matchesTheReference() throws {
        let f = try RLFixtures.load().grpoAdvantages
        let shape = [f.rewards.count, f.rewards[0].count]
        let grouped = grpoAdvantages(rewards: Tensor(f.rewards.flatMap { $0 }, shape: shape))
        #expect(grouped.shape == shape)
        expectClose(grouped, f.advantages.flatMap { $0 }, "grouped")
        let flat = grpoAdvantages(rewards: Tensor(f.rewards.flatMap { $0 }), groupSize: shape[1])
        #expect(flat.shape == [shape[0] * shape[1]])
        expectClose(flat, f.advantages.flatMap { $0 }, "flat")
    }

    @Test func withoutStdScalingTheyAreOnlyCentred() {
        let advantages = grpoAdvantages(rewards: Tensor([1, 2, 3, 10, 10, 13], shape: [2, 3]), scaleByStd: false)
        #expect(advantages.scalars == [-1, 0, 1, -1, -1, 2])
    }

    @Test func aGroupWithEqualRewardsHasNoAdvantage() {
        let advantages = grpoAdvantages(rewards: Tensor([0.5, 0.5, 0.5, 0.5], shape: [1, 4]))
        #expect(advantages.scalars == [0, 0, 0, 0])
    }
}
