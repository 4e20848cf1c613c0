import Alignment
import Foundation
import SyntheticTask
import TensorEngine
import Testing

@testable import Quickstart

/// The evaluation stage's win / tie / loss: the policy is side a, the SFT answer side b.
@Suite struct EvaluationComparisonTests {
    static let prompts = Array(BuiltInTask.generate(seed: 5, promptCount: 60))

    /// One answer of `quality` per prompt.
    static func answers(_ quality: ResponseQuality, seed: UInt64) -> [String] {
        var rng = RandomGenerator(seed: seed)
        return prompts.map { ResponseWriter.write(quality, for: $0, rng: &rng) }
    }

    @Test func goodAnswersAgainstGarbageWinEveryPrompt() {
        let good = Self.answers(.good, seed: 1), bad = Self.answers(.garbage, seed: 2)
        let info = QuickstartPipeline.compare(
            good, against: bad, on: Self.prompts, oracle: GoldOracle(),
            sampling: .init(temperature: 1))
        #expect(info.win == 1)
        #expect(info.tie == 0)
        #expect(info.loss == 0)
        #expect(info.winMinusLoss == 100)
        #expect(info.perCategory.values.allSatisfy { $0.win == 1 && $0.loss == 0 })
        #expect(info.perCategory.values.map(\.count).reduce(0, +) == Self.prompts.count)
        #expect(info.samples.allSatisfy { $0.verdict == "win" })
        // The policy's own answers are the ones scored and shown, not the baseline's.
        #expect(info.oracleScore > 0.9)
        #expect(info.samples.allSatisfy { good.contains($0.response) && bad.contains($0.sftResponse) })
    }

    @Test func garbageAgainstGoodAnswersLosesEveryPrompt() {
        let good = Self.answers(.good, seed: 1), bad = Self.answers(.garbage, seed: 2)
        let info = QuickstartPipeline.compare(
            bad, against: good, on: Self.prompts, oracle: GoldOracle(),
            sampling: .init(temperature: 1))
        #expect(info.win == 0)
        #expect(info.loss == 1)
        #expect(info.winMinusLoss == -100)
        #expect(info.samples.allSatisfy { $0.verdict == "loss" })
        #expect(info.oracleScore < 0.5)
    }

    @Test func identicalAnswersTie() {
        let good = Self.answers(.good, seed: 1)
        let info = QuickstartPipeline.compare(
            good, against: good, on: Self.prompts, oracle: GoldOracle(),
            sampling: .init(temperature: 1))
        #expect(info.tie == 1)
        #expect(info.winMinusLoss == 0)
    }
}

/// The best-of-n baseline: the reward model's favourite of several SFT samples.
@Suite struct BestOfNTests {
    @Test func picksTheHighestScoredCandidatePerPromptAndTheFirstOfEqualScores() {
        let candidates = [["a0", "b0", "c0"], ["a1", "b1", "c1"], ["a2", "b2", "c2"]]
        let scores: [[Float]] = [[0.1, 0.9, 0.5], [0.7, 0.2, 0.5], [0.3, 0.4, 0.1]]
        #expect(QuickstartPipeline.bestOf(candidates, scores: scores) == ["a1", "b0", "c0"])
    }

    @Test func samplingSaysHowEachRowWasDrawn() {
        #expect(QuickstartReport.Sampling(temperature: 0).text == "greedy (temperature 0)")
        #expect(QuickstartReport.Sampling(temperature: 1).text == "one sample at temperature 1")
        #expect(
            QuickstartReport.Sampling(temperature: 0.7, candidates: 4).text
                == "best of 4 at temperature 0.7 by the reward model")
    }

    @Test func reportJSONHasTheBaselinesWithTheirSampling() throws {
        let report = QuickstartReport.example()
        let object = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        let greedy = try #require((object["sft_greedy"] as? [String: Any])?["sampling"] as? [String: Any])
        #expect(greedy["temperature"] as? Double == 0)
        let bestOf = try #require((object["best_of_n"] as? [String: Any])?["sampling"] as? [String: Any])
        #expect(bestOf["candidates"] as? Int == 4)
        #expect((object["baseline_sampling"] as? [String: Any])?["temperature"] as? Double == 1)
    }
}
