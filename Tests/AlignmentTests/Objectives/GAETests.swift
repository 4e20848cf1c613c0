import TensorEngine
import Testing

@testable import Alignment

/// GAE against rl.json "gae" (tolerance 1e-5 relative + 1e-6 absolute), rows, and masked padding.
@Suite struct GAETests {
    @Test func matchesTheReference() throws {
        let f = try RLFixtures.load().gae
        let result = generalizedAdvantageEstimate(
            rewards: Tensor(f.rewards), values: Tensor(f.values), gamma: f.gamma, lambda: f.lam)
        expectClose(result.advantages, f.advantages, "advantages")
        expectClose(result.returns, f.returns, "returns")
    }

    @Test func rowsOfABatchAreIndependentEpisodes() throws {
        let f = try RLFixtures.load().gae
        let reversed = Array(f.rewards.reversed()), reversedValues = Array(f.values.reversed())
        let batch = generalizedAdvantageEstimate(
            rewards: Tensor(f.rewards + reversed, shape: [2, 6]),
            values: Tensor(f.values + reversedValues, shape: [2, 6]),
            gamma: f.gamma, lambda: f.lam)
        let second = generalizedAdvantageEstimate(
            rewards: Tensor(reversed), values: Tensor(reversedValues),
            gamma: f.gamma, lambda: f.lam)
        #expect(batch.advantages.shape == [2, 6])
        expectClose(Array(batch.advantages.scalars[..<6]), f.advantages, "row 0")
        expectClose(Array(batch.advantages.scalars[6...]), second.advantages.scalars, "row 1")
    }

    @Test func maskedPaddingEndsTheEpisode() throws {
        let f = try RLFixtures.load().gae
        // The first four positions are the response; padding after it holds garbage that must not leak back.
        let rewards = Array(f.rewards[..<4]) + [.nan, 100], values = Array(f.values[..<4]) + [50, .infinity]
        let mask = Tensor([1, 1, 1, 1, 0, 0])
        let padded = generalizedAdvantageEstimate(
            rewards: Tensor(rewards), values: Tensor(values), mask: mask,
            gamma: f.gamma, lambda: f.lam)
        let response = generalizedAdvantageEstimate(
            rewards: Tensor(Array(f.rewards[..<4])), values: Tensor(Array(f.values[..<4])),
            gamma: f.gamma, lambda: f.lam)
        expectClose(Array(padded.advantages.scalars[..<4]), response.advantages.scalars, "advantages")
        expectClose(Array(padded.returns.scalars[..<4]), response.returns.scalars, "returns")
        #expect(padded.advantages.scalars[4...].allSatisfy { $0 == 0 })
    }

    @Test func gammaAndLambdaOfOneSumTheFutureRewards() {
        // With γ = λ = 1 the return is the plain reward-to-go, whatever the values.
        let result = generalizedAdvantageEstimate(
            rewards: Tensor([1, 2, 3]), values: Tensor([0.5, -1, 4]), gamma: 1, lambda: 1)
        expectClose(result.returns, [6, 5, 3], "reward-to-go")
        expectClose(result.advantages, [5.5, 6, -1], "reward-to-go minus value")
    }
}
