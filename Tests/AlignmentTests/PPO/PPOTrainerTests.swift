import Foundation
import LanguageModels
import TensorEngine
import Testing

@testable import Alignment

/// A known reward: the fraction of response tokens equal to `target`.
struct TokenFractionReward: SequenceScorer {
    let target: Int
    func scores(prompts: [[Int]], responses: [[Int]]) -> [Float] {
        responses.map { r in r.isEmpty ? 0 : Float(r.filter { $0 == target }.count) / Float(r.count) }
    }
}

/// PPO on a toy task with a known reward: learning, bounded KL, exact resume, configuration.
@Suite struct PPOTrainerTests {
    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-ppo-\(UUID().uuidString)")
    }

    func tinyPolicy() throws -> TransformerLM {
        let config = try ModelConfig(
            family: .gpt2, vocabSize: 12, hiddenSize: 16, layerCount: 1, headCount: 2, maxPositions: 16)
        return try TransformerLM(config: config, seed: 5, std: 0.2)
    }

    func prompts(_ n: Int) -> [[Int]] { (0..<n).map { [2 + $0 % 7, 3 + $0 % 5] } }

    func config(iterations: Int) -> PPOConfig {
        var c = PPOConfig()
        c.iterations = iterations
        c.promptsPerIteration = 8
        c.sampling.maxNewTokens = 6
        c.minibatchSize = 4
        c.ppoEpochs = 2
        c.actorLearningRate = 3e-3
        c.criticLearningRate = 3e-3
        c.klCoefficient = 0.05
        c.logEvery = 0
        c.saveEvery = 2
        return c
    }

    func trainer(_ config: PPOConfig, output: URL?) throws -> PPOTrainer {
        let sft = try tinyPolicy()
        let trainer = try PPOTrainer(
            config: config, actor: sft.copy(), critic: ValueModel(copying: sft, seed: 9),
            reference: sft, reward: TokenFractionReward(target: 7), prompts: prompts(16),
            output: output)
        trainer.showProgress = false
        return trainer
    }

    @Test func raisesTheRewardWithBoundedKL() throws {
        let history = try trainer(config(iterations: 12), output: nil).run()
        let first = history.prefix(3).map { $0["reward"]! }.reduce(0, +) / 3
        let last = history.suffix(3).map { $0["reward"]! }.reduce(0, +) / 3
        let kls = history.map { String(format: "%.2f", $0["kl"]!) }.joined(separator: " ")
        print("PPO toy task: reward \(first) → \(last), KL per iteration \(kls)")
        #expect(last > first + 0.2, "reward \(first) → \(last)")
        // The KL-regularised optimum π_ref·exp(r/β)/Z is at most (max r − min r)/β = 1/0.05 = 20 nats from the
        // reference; a policy past that is no longer held by the penalty.
        #expect(history.allSatisfy { $0["kl"]!.isFinite && $0["kl"]! < 20 })
        for key in [
            "clip_fraction", "approx_kl", "value_loss", "explained_variance", "entropy", "response_length",
            "generation_seconds", "tokens_per_s", "reward_adjusted",
        ] {
            #expect(history.last![key] != nil, "missing metric \(key)")
        }
    }

    @Test func resumedRunMatchesTheUninterruptedOne() throws {
        let full = temporaryDirectory(), split = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: full); try? FileManager.default.removeItem(at: split) }
        let uninterrupted = try trainer(config(iterations: 4), output: full)
        let expected = try uninterrupted.run()
        _ = try trainer(config(iterations: 2), output: split).run()
        let resumed = try trainer(config(iterations: 4), output: split)
        let rest = try resumed.run(resume: true)
        #expect(rest.count == 2)
        for (a, b) in zip(expected.suffix(2), rest) {
            for key in ["reward", "kl", "policy_loss", "value_loss"] { #expect(a[key] == b[key], "\(key)") }
        }
        for (a, b) in zip(uninterrupted.actor.parameters, resumed.actor.parameters) { #expect(a.scalars == b.scalars) }
        for (a, b) in zip(uninterrupted.critic.parameters, resumed.critic.parameters) {
            #expect(a.scalars == b.scalars)
        }
        let lines = try String(contentsOf: split.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(
            separator: "\n")
        #expect(lines.count == 4)
    }

    @Test func rejectsBadSettingsAndData() throws {
        var bad = config(iterations: 1)
        bad.clipRange = 0
        #expect(throws: TrainingError.self) { try trainer(bad, output: nil) }
        var ptx = config(iterations: 1)
        ptx.ptxCoefficient = 0.5
        #expect(throws: TrainingError.self) { try trainer(ptx, output: nil) }
    }

    @Test func configDecodesAnySubsetAndRejectsUnknownKeys() throws {
        let partial = try JSONDecoder().decode(
            PPOConfig.self, from: Data(#"{"iterations": 7, "klTarget": 3, "klEstimator": "k3"}"#.utf8))
        var expected = PPOConfig()
        expected.iterations = 7; expected.klTarget = 3; expected.klEstimator = .k3
        #expect(partial == expected)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(PPOConfig.self, from: Data(#"{"iteration": 7}"#.utf8))
        }
    }
}

/// A reward that breaks: training must stop with a clear error, not continue on NaN.
struct NaNReward: SequenceScorer {
    func scores(prompts: [[Int]], responses: [[Int]]) -> [Float] { prompts.map { _ in .nan } }
}

@Suite struct PolicyNaNGuardTests {
    let toy = PPOTrainerTests()

    @Test func ppoAndGRPOStopOnANonFiniteLoss() throws {
        let sft = try toy.tinyPolicy()
        var ppo = toy.config(iterations: 2)
        ppo.referenceBaseline = false
        let trainer = try PPOTrainer(
            config: ppo, actor: sft.copy(), critic: ValueModel(copying: sft, seed: 9),
            reference: sft, reward: NaNReward(), prompts: toy.prompts(8), output: nil)
        trainer.showProgress = false
        #expect { try trainer.run() } throws: { error in
            guard case TrainingError.nonFinite = error else { return false }
            return "\(error)".contains("step 0")
        }
        var grpo = GRPOTrainerTests().config(iterations: 2)
        grpo.saveEvery = 0
        let group = try GRPOTrainer(
            config: grpo, actor: sft.copy(), reference: sft, reward: NaNReward(),
            prompts: toy.prompts(8), output: nil)
        group.showProgress = false
        #expect { try group.run() } throws: { error in
            guard case TrainingError.nonFinite = error else { return false }
            return true
        }
    }
}
