import TensorEngine
import Testing

@testable import Alignment

/// The paper's reference-baseline reward against rl.json "reference_baseline" (1e-5 relative + 1e-6 absolute).
@Suite struct ReferenceBaselineTests {
    @Test func matchesTheReference() throws {
        let f = try RLFixtures.load().referenceBaseline
        let rewards = referenceBaselineRewards(scores: Tensor(f.score), referenceScores: Tensor(f.referenceScore))
        expectClose(rewards, f.baselineReward, "baseline rewards")
    }
}
