import Foundation
import LanguageModels
import TensorEngine
import Testing

@testable import Alignment

/// The frozen reference stays frozen: one object cannot be both actor and reference, and a run leaves the
/// reference's weights bit-identical. GRPO logs PPO's metric names where they apply.
@Suite struct ReferenceGuardTests {
    let toy = PPOTrainerTests()

    @Test func oneObjectCannotBeActorAndReference() throws {
        let sft = try toy.tinyPolicy()
        let ppo = toy.config(iterations: 1)
        #expect {
            try PPOTrainer(
                config: ppo, actor: sft, critic: ValueModel(copying: sft, seed: 9), reference: sft,
                reward: TokenFractionReward(target: 7), prompts: toy.prompts(4), output: nil)
        } throws: { "\($0)".contains("the actor and the reference are the same model object") }
        #expect {
            try PPOTrainer(
                config: ppo, actor: sft.copy(),
                critic: ValueModel(backbone: sft, head: ScalarHead(hiddenSize: 16, seed: 1)),
                reference: sft, reward: TokenFractionReward(target: 7), prompts: toy.prompts(4), output: nil)
        } throws: { "\($0)".contains("the critic's backbone is the reference model object") }
        #expect {
            try GRPOTrainer(
                config: GRPOTrainerTests().config(iterations: 1), actor: sft, reference: sft,
                reward: TokenFractionReward(target: 7), prompts: toy.prompts(4), output: nil)
        } throws: { "\($0)".contains("the actor and the reference are the same model object") }
    }

    func weights(_ model: TransformerLM) -> [[Float]] { model.parameters.map(\.scalars) }

    @Test func ppoLeavesTheReferenceBitIdentical() throws {
        let trainer = try toy.trainer(toy.config(iterations: 3), output: nil)
        let before = weights(trainer.reference)
        try trainer.run()
        #expect(weights(trainer.reference) == before)
        #expect(weights(trainer.actor) != before, "the actor did train")
    }

    @Test func grpoLeavesTheReferenceBitIdentical() throws {
        let trainer = try GRPOTrainerTests().trainer(GRPOTrainerTests().config(iterations: 3), output: nil)
        let before = weights(trainer.reference)
        try trainer.run()
        #expect(weights(trainer.reference) == before)
        #expect(weights(trainer.actor) != before, "the actor did train")
    }

    @Test func grpoLogsPPOsMetricNamesWhereTheyApply() throws {
        let shared = [
            "reward", "reward_adjusted", "reward_std", "kl", "kl_coefficient", "entropy", "response_length",
            "truncated_fraction", "policy_loss", "clip_fraction", "approx_kl",
            "actor_grad_norm", "generation_seconds", "scoring_seconds", "training_seconds", "tokens_per_s",
        ]
        let grpo = try GRPOTrainerTests().trainer(GRPOTrainerTests().config(iterations: 1), output: nil).run()[0]
        let ppo = try toy.trainer(toy.config(iterations: 1), output: nil).run()[0]
        for key in shared {
            #expect(grpo[key] != nil, "GRPO lacks \(key)")
            #expect(ppo[key] != nil, "PPO lacks \(key)")
        }
    }
}
