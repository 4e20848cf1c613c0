import Foundation
import LanguageModels
import TensorEngine
import Testing

@testable import Alignment

/// A reward whose scale differs by prompt (like the paper's task categories): the token fraction plus an offset set
/// by the prompt's first token.
struct CategoryOffsetReward: SequenceScorer {
    let target: Int
    func scores(prompts: [[Int]], responses: [[Int]]) -> [Float] {
        let base = TokenFractionReward(target: target).scores(prompts: prompts, responses: responses)
        return zip(prompts, base).map { Float($0[0] % 3) * 4 + $1 }
    }
}

/// A reward that ignores responses for prompts starting with token 2 (nothing to learn there).
struct ConstantForSomePromptsReward: SequenceScorer {
    func scores(prompts: [[Int]], responses: [[Int]]) -> [Float] {
        let base = TokenFractionReward(target: 7).scores(prompts: prompts, responses: responses)
        return zip(prompts, base).map { $0[0] == 2 ? 0.5 : $1 }
    }
}

/// The paper's stabilisers measured on the toy task: reference baseline, PTX, prompt filtering.
@Suite struct PPOStabilizerTests {
    let base = PPOTrainerTests()

    func run(
        _ config: PPOConfig, reward: any SequenceScorer, ptx: [TokenizedExample] = [],
        sft: TransformerLM? = nil
    ) throws -> (PPOTrainer, [[String: Double]]) {
        let sft = try sft ?? base.tinyPolicy()
        let trainer = try PPOTrainer(
            config: config, actor: sft.copy(), critic: ValueModel(copying: sft, seed: 9),
            reference: sft, reward: reward, prompts: base.prompts(16), ptxExamples: ptx,
            ptxMaxLength: 16, output: nil)
        trainer.showProgress = false
        return (trainer, try trainer.run())
    }

    /// With prompt-dependent reward scales, subtracting the reference's score removes the scale from the critic's
    /// targets: their variance drops (paper §3).
    @Test func referenceBaselineLowersTheVarianceOfTheCriticTargets() throws {
        var on = base.config(iterations: 4)
        on.referenceBaseline = true
        var off = on
        off.referenceBaseline = false
        let withBaseline = try run(on, reward: CategoryOffsetReward(target: 7)).1
        let raw = try run(off, reward: CategoryOffsetReward(target: 7)).1
        let varianceOn = withBaseline.map { $0["return_variance"]! }.reduce(0, +) / 4
        let varianceOff = raw.map { $0["return_variance"]! }.reduce(0, +) / 4
        print("reference baseline: critic target variance \(varianceOff) (raw) → \(varianceOn) (baseline)")
        #expect(varianceOn < varianceOff / 4)
        // The adjusted reward starts near zero with the baseline (the policy is the reference at first).
        #expect(abs(withBaseline[0]["reward_adjusted"]!) < abs(raw[0]["reward_adjusted"]!))
    }

    /// Averaging several reference answers per prompt makes the baseline less noisy: with a reward that is pure
    /// sampling noise around a per-prompt offset, the adjusted reward of the first iteration (policy = reference)
    /// varies less with 8 answers than with 1.
    @Test func aBaselineOfSeveralReferenceAnswersIsLessNoisy() throws {
        var one = base.config(iterations: 1)
        one.referenceBaseline = true
        one.actorLearningRate = 0
        var eight = one
        eight.referenceBaselineSamples = 8
        let spread = { (records: [[String: Double]]) in records[0]["return_variance"]! }
        let single = spread(try run(one, reward: CategoryOffsetReward(target: 7)).1)
        let averaged = spread(try run(eight, reward: CategoryOffsetReward(target: 7)).1)
        print("reference baseline of 1 vs 8 answers: critic target variance \(single) → \(averaged)")
        #expect(averaged < single)
        var invalid = one
        invalid.referenceBaselineSamples = 0
        #expect(invalid.problem != nil)
    }

    /// PTX (γ > 0) keeps the actor's next-token loss on SFT data closer to where it started than γ = 0.
    @Test func ptxKeepsTheSFTLossCloser() throws {
        let sft = try base.tinyPolicy()
        let examples = (0..<16).map { i in
            TokenizedExample(
                ids: [2 + i % 7, 3 + i % 5, 4 + i % 3, 5 + i % 4, 6], trainMask: [false, false, true, true, true])
        }
        func sftLoss(_ model: TransformerLM) -> Float {
            withNoGrad {
                let batch = LanguageModelingBatch(examples, maxLength: 16, padId: 0)
                return crossEntropy(model(batch.inputs), targets: batch.targets).item()
            }
        }
        // An SFT model that has learned the SFT data, so there is something to forget.
        let batch = LanguageModelingBatch(examples, maxLength: 16, padId: 0)
        let optimizer = AdamW(parameters: sft.parameters, learningRate: 1e-2, weightDecay: 0)
        sft.setTrainable(true)
        for _ in 0..<60 {
            optimizer.zeroGrad()
            crossEntropy(sft(batch.inputs), targets: batch.targets).backward()
            optimizer.step()
        }
        sft.setTrainable(false)
        let start = sftLoss(sft)
        var config = base.config(iterations: 8)
        config.ptxCoefficient = 0
        let without = sftLoss(try run(config, reward: TokenFractionReward(target: 7), ptx: examples, sft: sft).0.actor)
        config.ptxCoefficient = 1
        let (trainer, history) = try run(config, reward: TokenFractionReward(target: 7), ptx: examples, sft: sft)
        let with = sftLoss(trainer.actor)
        print("PTX: loss on the SFT data \(start) at the start, \(without) after PPO with γ = 0, \(with) with γ = 1")
        #expect(without > start + 0.05, "PPO without PTX should move away from the SFT data")
        #expect(abs(with - start) < abs(without - start))
        #expect(history.last!["ptx_loss"] != nil)
    }

    /// Prompts whose k sampled responses all score the same are dropped before training.
    @Test func promptFilteringDropsPromptsWithoutRewardVariance() throws {
        var config = base.config(iterations: 2)
        config.promptFilterSamples = 4
        config.saveEvery = 0
        let directory = base.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sft = try base.tinyPolicy()
        let trainer = try PPOTrainer(
            config: config, actor: sft.copy(), critic: ValueModel(copying: sft, seed: 9),
            reference: sft, reward: ConstantForSomePromptsReward(), prompts: base.prompts(16),
            output: directory)
        trainer.showProgress = false
        try trainer.run()
        let state = try #require(PolicyCheckpoint.latest(in: directory)).loadState()
        let prompts = base.prompts(16)
        #expect(state.activePrompts.allSatisfy { prompts[$0][0] != 2 })
        #expect(state.activePrompts.count >= 10)
    }
}
