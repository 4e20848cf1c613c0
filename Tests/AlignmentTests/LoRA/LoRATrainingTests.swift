import Foundation
import LanguageModels
import TensorEngine
import Testing

@testable import Alignment

/// The trainers with LoRA: only adapters (and heads) change, the frozen base and the shared reference stay
/// bit-identical, bf16 frozen weights train as well, and runs resume exactly.
@Suite struct LoRATrainingTests {
    func lora(rank: Int = 4, precision: FrozenWeightPrecision = .bf16) -> LoRAConfig {
        var config = LoRAConfig()
        config.loraRank = rank
        config.frozenWeights = precision
        return config
    }

    func bits(_ model: TransformerLM) -> [[UInt32]] {
        model.baseNamedParameters.map { $0.1.scalars.map(\.bitPattern) }
    }

    /// SFT with adapters learns the toy task; the base is untouched; the checkpoint holds PEFT files and resumes.
    @Test(arguments: [FrozenWeightPrecision.bf16, .f32])
    func sftTrainsOnlyTheAdapters(_ precision: FrozenWeightPrecision) throws {
        let tests = SFTTrainerTests()
        var config = SFTConfig()
        config.steps = 40; config.warmupSteps = 2; config.learningRate = 3e-2; config.batchSize = 8
        config.evalEvery = 0; config.saveEvery = 20; config.logEvery = 0
        config.lora = lora(rank: 4, precision: precision)
        let dir = tests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try tests.tinyModel()
        let summary = try config.lora.prepare(model, seed: 0)
        #expect(summary.contains("LoRA rank 4, alpha 8.0 on 14 layers"))
        let base = bits(model)
        let data = tests.examples(15)
        let trainer = try SFTTrainer(model: model, train: data, eval: data, config: config, output: dir)
        let before = trainer.evaluate(data)
        try trainer.run()
        let after = trainer.evaluate(data)
        #expect(after < before * 0.75, "eval loss \(before) → \(after)")
        #expect(bits(trainer.model) == base, "the frozen base did not move")
        let saved = dir.appendingPathComponent("checkpoint-40/model")
        #expect(PEFTAdapterFiles.exist(in: saved))

        // Resume from step 20 gives the uninterrupted run's adapters.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("checkpoint-40"))
        let resumedModel = try tests.tinyModel()
        try config.lora.prepare(resumedModel, seed: 0)
        let resumed = try SFTTrainer(model: resumedModel, train: data, eval: data, config: config, output: dir)
        try resumed.run(resume: true)
        let a = trainer.model.trainableParameters.map { $0.scalars }
        let b = resumed.model.trainableParameters.map { $0.scalars }
        #expect(a == b)
    }

    /// A PPO trainer of the tiny policy with `config.lora`: actor and reference on one base, the critic an adapter on
    /// a reward model's base; with its models and that reward model.
    func ppoTrainer(_ config: PPOConfig, output: URL?) throws -> (PPOTrainer, PolicyModels, RewardModel) {
        let tests = PPOTrainerTests()
        let reward = RewardModel(backbone: try tests.tinyPolicy(), headSeed: 3, headStd: 0.02)
        let models = try PolicyModels(
            policy: try tests.tinyPolicy(), reward: reward, lora: config.lora, critic: true,
            criticFromReward: true, seed: config.seed)
        let trainer = try PPOTrainer(
            config: config, actor: models.actor, critic: models.critic!, reference: models.reference,
            reward: TokenFractionReward(target: 7), prompts: tests.prompts(16), output: output)
        trainer.showProgress = false
        return (trainer, models, reward)
    }

    /// PPO with LoRA: one base for actor and reference, the critic an adapter on the reward model's base; the reward
    /// rises, the reference and both bases stay bit-identical, and a resumed run matches the uninterrupted one.
    @Test func ppoWithAdaptersLearnsAndKeepsTheReference() throws {
        let tests = PPOTrainerTests()
        var config = tests.config(iterations: 12)
        config.actorLearningRate = 2e-2
        config.criticLearningRate = 2e-2
        config.lora = lora(rank: 4)
        let (trainer, models, reward) = try ppoTrainer(config, output: nil)
        #expect(models.critic!.backbone.hasAdapters && !models.reference.hasAdapters)
        #expect(models.critic!.trainableParameters.count == models.actor.trainableParameters.count + 2, "+ value head")
        #expect(models.actor.decoder.tokenEmbedding.weight.bfloat16 != nil, "frozen weights kept in bf16")
        let reference = bits(models.reference), rewardBase = bits(reward.backbone)
        let history = try trainer.run()
        let first = history.prefix(3).map { $0["reward"]! }.reduce(0, +) / 3
        let last = history.suffix(3).map { $0["reward"]! }.reduce(0, +) / 3
        #expect(last > first + 0.15, "reward \(first) → \(last)")
        #expect(bits(models.reference) == reference && bits(trainer.actor) == reference)
        #expect(bits(reward.backbone) == rewardBase && bits(trainer.critic.backbone) == rewardBase)

        let full = PPOTrainerTests().temporaryDirectory(), split = PPOTrainerTests().temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: full); try? FileManager.default.removeItem(at: split) }
        var short = config
        short.iterations = 4
        let uninterrupted = try ppoTrainer(short, output: full).0
        let expected = try uninterrupted.run()
        short.iterations = 2
        _ = try ppoTrainer(short, output: split).0.run()
        short.iterations = 4
        let resumed = try ppoTrainer(short, output: split).0
        let rest = try resumed.run(resume: true)
        for (a, b) in zip(expected.suffix(2), rest) {
            for key in ["reward", "kl", "policy_loss", "value_loss"] { #expect(a[key] == b[key], "\(key)") }
        }
        #expect(
            uninterrupted.actor.trainableParameters.map(\.scalars) == resumed.actor.trainableParameters.map(\.scalars))
    }

    /// A target that names no layer is a configuration error naming it.
    @Test func unknownTargetIsAConfigError() throws {
        var config = lora(rank: 2)
        config.loraTargets = LoRATargets(["c_attn", "q_proj"])
        #expect {
            try config.prepare(try PPOTrainerTests().tinyPolicy(), seed: 0)
        } throws: { "\($0)".contains("LoRA target \"q_proj\" matches no layer") }
        var bad = SFTConfig()
        bad.lora.loraRank = -1
        #expect(bad.problem?.contains("loraRank") == true)
        var parsed = SFTConfig()
        try parsed.override(with: ["--lora-rank", "8", "--lora-targets", "q_proj,v_proj", "--frozen-weights", "f32"])
        #expect(parsed.lora.settings == LoRASettings(rank: 8, alpha: 16, targets: ["q_proj", "v_proj"]))
        #expect(parsed.lora.frozenWeights == .f32)
    }
}
