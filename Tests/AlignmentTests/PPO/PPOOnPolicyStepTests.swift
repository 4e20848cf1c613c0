import Testing

@testable import Alignment
@testable import LanguageModels
@testable import TensorEngine

/// With one epoch, one minibatch and one piece, PPO's update is on-policy: a bf16 actor (which a sampler cannot stand
/// for) is scored by the update's own forward instead of a rescore of its own, and the critic's values come from its
/// update's forward too. The step's ratio is then exactly 1, and the run follows the rescored one: same losses, KL,
/// entropy, sampler gap and gradient norms.
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
                return try LoRATrainingTests().ppoTrainer(c, output: nil).0.run()
            }
        }
        // Both runs round activations to bfloat16, so the last bits in which the critic's taped and untaped forwards
        // differ grow into bf16 steps once the models have moved: the later iterations agree to 1%.
        try expectOnPolicyRunFollows(
            try run(rescore: false), try run(rescore: true),
            keys: ["policy_loss", "value_loss", "critic_grad_norm", "explained_variance"], laterTolerance: 1e-2)
    }

    /// In Float32, whose sampler stands for the actor, the critic alone is scored by its update's forward (values,
    /// returns and the value loss from pieces of the batch, the gradients summed): the run follows the one that scores
    /// the critic apart, iteration after iteration.
    @Test func theCriticsUpdateForwardGivesItsOldValues() throws {
        let tests = PPOTrainerTests()
        var config = tests.config(iterations: 3)
        (config.ppoEpochs, config.minibatchSize, config.microBatchSize) = (1, config.promptsPerIteration, 3)
        (config.actorLearningRate, config.criticLearningRate) = (2e-2, 2e-2)
        #expect(PPOTrainer.firstUpdateScoresTheCritic(config, oneProcess: true))
        #expect(!PPOTrainer.firstUpdateScoresTheActor(config, actorNeedsRescoring: false, oneProcess: true))
        func run(rescore: Bool) throws -> [[String: Double]] {
            var c = config
            c.rescoreRollouts = rescore
            return try tests.trainer(c, output: nil).run()
        }
        let (together, apart) = (try run(rescore: false), try run(rescore: true))
        #expect(together.count == 3 && apart.count == 3)
        for (a, b) in zip(together, apart) {
            #expect(a["value_clip_fraction"] == 0, "the old values are the update's own")
            for key in [
                "value_loss", "critic_grad_norm", "explained_variance", "return_mean", "policy_loss", "actor_grad_norm",
                "kl", "reward",
            ] {
                let (x, y) = (try #require(a[key], "\(key)"), try #require(b[key], "\(key)"))
                #expect(abs(x - y) <= 1e-4 * max(1, abs(y)), "\(key): critic scored by its update \(x), apart \(y)")
            }
        }
    }

    /// Only with one process, one epoch and one minibatch (micro-batches are fine), and no rescore asked for.
    @Test func onlyTheOneMinibatchStepScoresTheCritic() {
        var config = PPOTrainerTests().config(iterations: 1)
        (config.ppoEpochs, config.minibatchSize) = (1, config.promptsPerIteration)
        func decides(_ change: (inout PPOConfig) -> Void = { _ in }, one: Bool = true) -> Bool {
            var c = config
            change(&c)
            return PPOTrainer.firstUpdateScoresTheCritic(c, oneProcess: one)
        }
        #expect(decides())
        #expect(decides { $0.microBatchSize = 2 })
        #expect(!decides { $0.ppoEpochs = 2 })
        #expect(!decides { $0.minibatchSize = $0.promptsPerIteration / 2 })
        #expect(!decides { $0.rescoreRollouts = true })
        #expect(!decides(one: false))
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

/// GRPO's on-policy step (one epoch, one minibatch) scores a bf16 actor with its update's forward too, and follows
/// the rescored run.
@Suite struct GRPOOnPolicyStepTests {
    @Test(.enabled(if: BFloat16Products.dotInstructionsAvailable))
    func theUpdatesForwardScoresTheActorAsARescoreWould() throws {
        let tests = GRPOTrainerTests()
        var config = tests.config(iterations: 3)
        (config.epochs, config.minibatchSize) = (1, config.promptsPerIteration * config.groupSize)
        config.lora = LoRATrainingTests().lora(rank: 4)
        config.learningRate = 2e-2
        #expect(GRPOTrainer.firstUpdateScoresTheActor(config, actorNeedsRescoring: true, oneProcess: true))
        var twoEpochs = config
        twoEpochs.epochs = 2
        #expect(!GRPOTrainer.firstUpdateScoresTheActor(twoEpochs, actorNeedsRescoring: true, oneProcess: true))
        func run(rescore: Bool) throws -> [[String: Double]] {
            try BFloat16Products.withMode(.bfloat16Dot) {
                var c = config
                c.rescoreRollouts = rescore
                let reward = RewardModel(backbone: try tests.toy.tinyPolicy(), headSeed: 3, headStd: 0.02)
                let models = try PolicyModels(
                    policy: try tests.toy.tinyPolicy(), reward: reward, lora: c.lora, critic: false,
                    criticFromReward: false, seed: c.seed)
                let trainer = try GRPOTrainer(
                    config: c, actor: models.actor, reference: models.reference,
                    reward: TokenFractionReward(target: 7), prompts: tests.toy.prompts(16), output: nil)
                trainer.showProgress = false
                return try trainer.run()
            }
        }
        try expectOnPolicyRunFollows(
            try run(rescore: false), try run(rescore: true), keys: ["loss", "policy_loss", "kl_loss"])
    }
}

/// Each iteration of the on-policy run has ratio exactly 1 and follows the rescored run on `keys` and on what both
/// trainers log (KL, reward, entropy, the actor's gradient norm and the sampler gap): within 1e-4 in the first
/// iteration, within `laterTolerance` (relative) after it.
func expectOnPolicyRunFollows(
    _ onPolicy: [[String: Double]], _ rescored: [[String: Double]], keys: [String], laterTolerance: Double = 1e-4
) throws {
    #expect(onPolicy.count == 3 && rescored.count == 3)
    for (iteration, (a, b)) in zip(onPolicy, rescored).enumerated() {
        #expect(a["approx_kl"] == 0 && a["clip_fraction"] == 0, "the on-policy ratio is exactly 1")
        let tolerance = iteration == 0 ? 1e-4 : laterTolerance
        for key in keys + ["kl", "reward", "entropy", "actor_grad_norm", "sampler_logprob_gap"] {
            let (x, y) = (try #require(a[key], "\(key)"), try #require(b[key], "\(key)"))
            #expect(
                abs(x - y) <= tolerance * max(1, abs(y)),
                "\(key), iteration \(iteration + 1): on-policy \(x), rescored \(y)")
        }
    }
}
