import Foundation
import LanguageModels
import TensorEngine
import Testing

@testable import Alignment

/// Rollouts sampled at a temperature are scored under that same distribution (logits / T): the ratio, the KL and the
/// entropy describe the policy that sampled, and top-k/top-p, which scoring does not model, are refused.
@Suite struct RolloutTemperatureTests {
    let toy = PPOTrainerTests()
    static let temperature: Float = 0.7

    /// One iteration whose single minibatch is the whole rollout: its ratio is the first minibatch's.
    func ppoRecord() throws -> [String: Double] {
        var c = toy.config(iterations: 1)
        c.sampling.temperature = Self.temperature
        c.ppoEpochs = 1
        c.minibatchSize = c.promptsPerIteration
        c.referenceBaseline = false
        return try toy.trainer(c, output: nil).run()[0]
    }

    @Test func ppoRatioIsOneAtTheFirstMinibatchAndMatchesTheSampler() throws {
        let record = try ppoRecord()
        #expect(record["sampler_logprob_gap"]! < 1e-4, "old log-probs are not the sampler's: \(record)")
        #expect(record["approx_kl"]! < 1e-10 && record["clip_fraction"]! == 0, "\(record)")
        #expect(abs(record["kl"]!) < 1e-5, "the actor starts as the reference")
    }

    @Test func grpoRatioIsOneAtTheFirstMinibatchAndMatchesTheSampler() throws {
        var c = GRPOTrainerTests().config(iterations: 1)
        c.sampling.temperature = Self.temperature
        c.epochs = 1
        c.minibatchSize = c.promptsPerIteration * c.groupSize
        let record = try GRPOTrainerTests().trainer(c, output: nil).run()[0]
        #expect(record["sampler_logprob_gap"]! < 1e-4, "old log-probs are not the sampler's: \(record)")
        #expect(record["approx_kl"]! < 1e-10 && record["clip_fraction"]! == 0, "\(record)")
        #expect(abs(record["kl"]!) < 1e-5)
    }

    /// The gap the trainers log would catch untempered scoring: at T = 0.7 the raw log-probs are far from the
    /// sampler's, the tempered ones equal them, and so does the tempered entropy the metrics report.
    @Test func untemperedScoringWouldDescribeAnotherPolicy() throws {
        let model = try toy.tinyPolicy()
        let prompts = toy.prompts(6)
        let rollout = model.generate(
            prompts: prompts,
            config: GenerationConfig(
                maxNewTokens: 6, temperature: Self.temperature, eosTokenIds: [], seed: 3))
        let batch = ResponseBatch(prompts: prompts, responses: rollout.tokens, padId: 0)
        let raw = withNoGrad { model.nextTokenLogProbs(batch).logProbs }
        #expect(RolloutScores.meanAbsoluteGap(raw, rollout.logProbs, batch: batch) > 0.01)
        let scores = RolloutScores(
            batch: batch, rollout: rollout, actor: model, reference: model.copy(),
            temperature: Self.temperature)
        #expect(scores.samplerGap < 1e-4)
        func responseEntropy(_ logits: Tensor) -> Float {
            withNoGrad { maskedMean(entropy(logits), mask: batch.responseMask).item() }
        }
        let tempered = withNoGrad { model(batch.inputs) / Self.temperature }
        #expect(abs(scores.entropy - responseEntropy(tempered)) < 1e-5)
        #expect(abs(scores.entropy - responseEntropy(withNoGrad { model(batch.inputs) })) > 1e-3)
    }

    @Test func topKAndTopPAreRefusedInRLRollouts() throws {
        var ppo = toy.config(iterations: 1)
        ppo.sampling.topK = 5
        #expect { try toy.trainer(ppo, output: nil) } throws: { "\($0)".contains("topK and topP must stay off") }
        var grpo = GRPOTrainerTests().config(iterations: 1)
        grpo.sampling.topP = 0.9
        #expect { try GRPOTrainerTests().trainer(grpo, output: nil) } throws: {
            "\($0)".contains("topK and topP must stay off")
        }
    }
}
