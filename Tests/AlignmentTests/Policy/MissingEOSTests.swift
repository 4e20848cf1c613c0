import Foundation
import LanguageModels
import TensorEngine
import Testing

@testable import Alignment

/// Answers cut at `maxNewTokens` (no end-of-turn token): TRL's missing-EOS penalty on their score in PPO and GRPO,
/// their share in the metrics, and their exclusion from reward-model-labelled DPO pairs.
@Suite struct MissingEOSTests {
    let toy = PPOTrainerTests()
    /// Tokens that end an answer of the tiny policy: a quarter of its vocabulary, so some answers end and some are cut.
    static let stops = [7, 8, 9]
    static let penalty: Float = 0.5

    @Test func thePenaltyIsSubtractedFromCutAnswersOnly() {
        #expect(penalisingMissingEOS(scores: [1, 2, 3], finished: [true, false, true], penalty: 0.5) == [1, 1.5, 3])
        #expect(penalisingMissingEOS(scores: [1, 2], finished: [false, false], penalty: 0) == [1, 2])
        #expect(truncatedFraction([true, false, false, true]) == 0.5)
    }

    /// The record of `metrics.jsonl`'s only line.
    func loggedRecord(in output: URL) throws -> [String: Any] {
        let text = try String(contentsOf: output.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        return try JSONSerialization.jsonObject(with: Data(text.split(separator: "\n")[0].utf8)) as! [String: Any]
    }

    @Test func ppoPenalisesCutAnswersAndLogsTheirShare() throws {
        let output = toy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        var c = toy.config(iterations: 1)
        c.referenceBaseline = false
        c.missingEOSPenalty = Self.penalty
        c.promptsPerIteration = 16
        c.sampling.maxNewTokens = 1  // an answer ends or is cut at its first token
        let sft = try toy.tinyPolicy()
        let trainer = try PPOTrainer(
            config: c, actor: sft.copy(), critic: ValueModel(copying: sft, seed: 9), reference: sft,
            reward: ConstantScorer(), prompts: toy.prompts(16), stopTokenIds: Self.stops, output: output)
        trainer.showProgress = false
        let record = try trainer.run()[0]
        let cut = try #require(record["truncated_fraction"])
        #expect(cut > 0 && cut < 1, "the test needs both cut and complete answers, got \(cut)")
        #expect(abs(record["reward_adjusted"]! - (1 - Double(Self.penalty) * cut)) < 1e-6)
        #expect(record["reward"] == 1)
        #expect(try loggedRecord(in: output)["truncated_fraction"] as? Double == cut)
    }

    @Test func grpoPenalisesCutAnswersAndLogsTheirShare() throws {
        let output = toy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        var c = GRPOTrainerTests().config(iterations: 1)
        c.missingEOSPenalty = Self.penalty
        let sft = try toy.tinyPolicy()
        let trainer = try GRPOTrainer(
            config: c, actor: sft.copy(), reference: sft, reward: ConstantScorer(),
            prompts: toy.prompts(16), stopTokenIds: Self.stops, output: output)
        trainer.showProgress = false
        let record = try trainer.run()[0]
        let cut = try #require(record["truncated_fraction"])
        #expect(cut > 0 && cut < 1, "the test needs both cut and complete answers, got \(cut)")
        #expect(abs(record["reward_adjusted"]! - (1 - Double(Self.penalty) * cut)) < 1e-6)
        // A constant reward leaves only the penalty to tell the answers of a group apart.
        #expect(record["policy_loss"] != 0)
        #expect(try loggedRecord(in: output)["truncated_fraction"] as? Double == cut)
    }

    @Test func thePenaltyIsAConfigKeyAndMustNotBeNegative() throws {
        let ppo = try JSONDecoder().decode(PPOConfig.self, from: Data(#"{"missingEOSPenalty": 1.5}"#.utf8))
        let grpo = try JSONDecoder().decode(GRPOConfig.self, from: Data(#"{"missingEOSPenalty": 1.5}"#.utf8))
        #expect(ppo.missingEOSPenalty == 1.5 && grpo.missingEOSPenalty == 1.5)
        #expect(PPOConfig().missingEOSPenalty == 0 && GRPOConfig().missingEOSPenalty == 0)
        var negative = PPOConfig()
        negative.missingEOSPenalty = -1
        #expect(negative.problem?.contains("missingEOSPenalty") == true)
    }

    @Test func earlierConfigFilesWithTruncationPenaltyKeepWorking() throws {
        let decode = { (json: String) in try JSONDecoder().decode(PPOConfig.self, from: Data(json.utf8)) }
        // The earlier key was a reward added to a cut answer: -0.5 then is a penalty of 0.5 now.
        #expect(try decode(#"{"truncationPenalty": -0.5}"#).missingEOSPenalty == 0.5)
        #expect(throws: DecodingError.self) { try decode(#"{"truncationPenalty": 0.5}"#) }
        #expect(throws: DecodingError.self) { try decode(#"{"truncationPenalty": -0.5, "missingEOSPenalty": 1}"#) }
    }

    @Test func onPolicyDPOPairsLeaveCutAnswersOutUnlessAsked() throws {
        var config = DPOToyTask.config(steps: 1)
        config.samplesPerPrompt = 4
        let prompts = (0..<12).map { [1 + $0 % 5, 1 + $0 / 5] }
        let policy = try DPOToyTask.policy()
        let complete = { (response: [Int]) in Self.stops.contains(response.last!) }
        let strict = try OnPolicyPairs.build(
            policy: policy, scorer: TokenFractionReward(target: DPOToyTask.liked),
            prompts: prompts, config: config, stopTokenIds: Self.stops)
        #expect(strict.report.truncated > 0 && !strict.pairs.isEmpty)
        #expect(strict.pairs.allSatisfy { complete($0.chosen) && complete($0.rejected) })
        config.keepTruncatedSamples = true
        let kept = try OnPolicyPairs.build(
            policy: policy, scorer: TokenFractionReward(target: DPOToyTask.liked),
            prompts: prompts, config: config, stopTokenIds: Self.stops)
        #expect(kept.report.truncated == strict.report.truncated)
        #expect(kept.pairs.contains { !complete($0.chosen) || !complete($0.rejected) })
    }
}
