import Foundation
import LanguageModels
import TensorEngine
import Testing

@testable import Alignment

/// GRPO on the PPO toy task: learning, exact resume, configuration.
@Suite struct GRPOTrainerTests {
    let toy = PPOTrainerTests()

    func config(iterations: Int) -> GRPOConfig {
        var c = GRPOConfig()
        c.iterations = iterations
        c.promptsPerIteration = 4
        c.groupSize = 4
        c.sampling.maxNewTokens = 6
        c.minibatchSize = 8
        c.epochs = 2
        c.learningRate = 3e-3
        c.logEvery = 0
        c.saveEvery = 2
        return c
    }

    func trainer(_ config: GRPOConfig, output: URL?) throws -> GRPOTrainer {
        let sft = try toy.tinyPolicy()
        let trainer = try GRPOTrainer(
            config: config, actor: sft.copy(), reference: sft,
            reward: TokenFractionReward(target: 7), prompts: toy.prompts(16), output: output)
        trainer.showProgress = false
        return trainer
    }

    @Test func raisesTheReward() throws {
        let history = try trainer(config(iterations: 12), output: nil).run()
        let first = history.prefix(3).map { $0["reward"]! }.reduce(0, +) / 3
        let last = history.suffix(3).map { $0["reward"]! }.reduce(0, +) / 3
        print("GRPO toy task: reward \(first) → \(last), final KL \(history.last!["kl"]!)")
        #expect(last > first + 0.2, "reward \(first) → \(last)")
        #expect(history.allSatisfy { $0["kl"]!.isFinite && $0["kl_loss"] != nil })
    }

    @Test func resumedRunMatchesTheUninterruptedOne() throws {
        let full = toy.temporaryDirectory(), split = toy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: full); try? FileManager.default.removeItem(at: split) }
        let uninterrupted = try trainer(config(iterations: 4), output: full)
        let expected = try uninterrupted.run()
        _ = try trainer(config(iterations: 2), output: split).run()
        let resumed = try trainer(config(iterations: 4), output: split)
        let rest = try resumed.run(resume: true)
        #expect(rest.count == 2)
        for (a, b) in zip(expected.suffix(2), rest) { #expect(a["reward"] == b["reward"] && a["loss"] == b["loss"]) }
        for (a, b) in zip(uninterrupted.actor.parameters, resumed.actor.parameters) { #expect(a.scalars == b.scalars) }
    }

    @Test func configDecodesAnySubsetAndRejectsBadSettings() throws {
        let partial = try JSONDecoder().decode(
            GRPOConfig.self, from: Data(#"{"groupSize": 8, "klEstimator": "k1"}"#.utf8))
        #expect(partial.groupSize == 8 && partial.klEstimator == .k1 && partial.iterations == GRPOConfig().iterations)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(GRPOConfig.self, from: Data(#"{"group": 8}"#.utf8))
        }
        var bad = config(iterations: 1)
        bad.groupSize = 1
        #expect(throws: TrainingError.self) { try trainer(bad, output: nil) }
    }
}
