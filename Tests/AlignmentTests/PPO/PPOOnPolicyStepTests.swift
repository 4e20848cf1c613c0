import Testing

@testable import Alignment
@testable import LanguageModels
@testable import TensorEngine

/// With one epoch, one minibatch and one piece, PPO's update is on-policy: a bf16 actor (which a sampler cannot stand
/// for) is scored by the update's own forward instead of a rescore of its own. The step's ratio is then exactly 1,
/// and the run follows the rescored one: same losses, KL, entropy, sampler gap and gradient norms.
@Suite struct PPOOnPolicyStepTests {
    @Test(.enabled(if: BFloat16Products.dotInstructionsAvailable))
    func theUpdatesForwardScoresTheActorAsARescoreWould() throws {
        let tests = PPOTrainerTests()
        var config = tests.config(iterations: 3)
        (config.ppoEpochs, config.minibatchSize) = (1, config.promptsPerIteration)
        config.lora = LoRATrainingTests().lora(rank: 4)
        (config.actorLearningRate, config.criticLearningRate) = (2e-2, 2e-2)
        func run(rescore: Bool) throws -> [[String: Double]] {
            try BFloat16Products.withMode(.bfloat16Dot) {
                var c = config
                c.rescoreRollouts = rescore
                let reward = RewardModel(backbone: try tests.tinyPolicy(), headSeed: 3, headStd: 0.02)
                let models = try PolicyModels(
                    policy: try tests.tinyPolicy(), reward: reward, lora: c.lora, critic: true,
                    criticFromReward: true, seed: c.seed)
                let trainer = try PPOTrainer(
                    config: c, actor: models.actor, critic: models.critic!, reference: models.reference,
                    reward: TokenFractionReward(target: 7), prompts: tests.prompts(16), output: nil)
                trainer.showProgress = false
                return try trainer.run()
            }
        }
        let onPolicy = try run(rescore: false), rescored = try run(rescore: true)
        #expect(onPolicy.count == 3 && rescored.count == 3)
        for (a, b) in zip(onPolicy, rescored) {
            #expect(a["approx_kl"] == 0 && a["clip_fraction"] == 0, "the on-policy ratio is exactly 1")
            for key in [
                "policy_loss", "value_loss", "kl", "reward", "entropy", "actor_grad_norm", "critic_grad_norm",
                "sampler_logprob_gap",
            ] {
                let (x, y) = (try #require(a[key]), try #require(b[key]))
                #expect(abs(x - y) <= 1e-4 * max(1, abs(y)), "\(key): on-policy \(x), rescored \(y)")
            }
        }
    }

    /// Only then: several epochs or minibatches, micro-batches, an exact sampler, an asked-for rescore or several
    /// processes keep the rescore (or the sampler's values).
    @Test func onlyTheOnePieceStepScoresTheActor() {
        var config = PPOTrainerTests().config(iterations: 1)
        (config.ppoEpochs, config.minibatchSize) = (1, config.promptsPerIteration)
        func decides(_ change: (inout PPOConfig) -> Void = { _ in }, rescoring: Bool = true, one: Bool = true) -> Bool {
            var c = config
            change(&c)
            return PPOTrainer.firstUpdateScoresTheActor(c, actorNeedsRescoring: rescoring, oneProcess: one)
        }
        #expect(decides())
        #expect(decides { $0.microBatchSize = $0.promptsPerIteration })
        #expect(!decides { $0.ppoEpochs = 2 })
        #expect(!decides { $0.minibatchSize = $0.promptsPerIteration / 2 })
        #expect(!decides { $0.microBatchSize = 2 })
        #expect(!decides { $0.rescoreRollouts = true })
        #expect(!decides(rescoring: false))
        #expect(!decides(one: false))
    }
}
