import Foundation
import Testing

@testable import Alignment

/// The metrics' time split: the phases add up to the iteration, and training run inside the scoring phase (PPO's
/// on-policy critic update) is counted as training.
@Suite struct IterationClockTests {
    @Test func trainingInsideScoringCountsAsTraining() {
        let start = Date(timeIntervalSinceReferenceDate: 1000)
        var clock = IterationClock(
            started: start, generated: start + 2, scored: start + 5, finished: start + 9)
        let plain = clock.metrics(generatedTokens: 90)
        #expect(plain["generation_seconds"] == 2 && plain["scoring_seconds"] == 3 && plain["training_seconds"] == 4)
        #expect(plain["generation_tokens_per_s"] == 45 && plain["tokens_per_s"] == 10)
        clock.trainedWhileScoring = 1.5
        let moved = clock.metrics(generatedTokens: 90)
        #expect(moved["scoring_seconds"] == 1.5 && moved["training_seconds"] == 5.5)
        #expect(moved["generation_seconds"] == 2 && moved["tokens_per_s"] == 10)
    }
}
