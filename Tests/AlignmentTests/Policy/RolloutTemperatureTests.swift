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
    func ppoRecord(rescore: Bool) throws -> [String: Double] {
        var c = toy.config(iterations: 1)
        c.sampling.temperature = Self.temperature
        c.ppoEpochs = 1
        c.minibatchSize = c.promptsPerIteration
        c.referenceBaseline = false
        c.rescoreRollouts = rescore
        return try toy.trainer(c, output: nil).run()[0]
    }

    /// Old log-probabilities from the sampler (default) or from scoring the rollout again: either way the training
    /// forward's ratio to them is 1 up to rounding, so they describe the distribution that sampled.
    @Test(arguments: [false, true]) func ppoRatioIsOneAtTheFirstMinibatch(rescore: Bool) throws {
        let record = try ppoRecord(rescore: rescore)
        #expect(record["approx_kl"]! < 1e-10 && record["clip_fraction"]! == 0, "\(record)")
        #expect(abs(record["kl"]!) < 1e-5, "the actor starts as the reference")
        if rescore {
            #expect(record["sampler_logprob_gap"]! < 1e-4, "old log-probs are not the sampler's: \(record)")
        } else {
            #expect(record["sampler_logprob_gap"] == nil, "nothing was rescored to compare with")
        }
    }

    @Test(arguments: [false, true]) func grpoRatioIsOneAtTheFirstMinibatch(rescore: Bool) throws {
        var c = GRPOTrainerTests().config(iterations: 1)
        c.sampling.temperature = Self.temperature
        c.epochs = 1
        c.minibatchSize = c.promptsPerIteration * c.groupSize
        c.rescoreRollouts = rescore
        let record = try GRPOTrainerTests().trainer(c, output: nil).run()[0]
        #expect(record["approx_kl"]! < 1e-10 && record["clip_fraction"]! == 0, "\(record)")
        #expect(abs(record["kl"]!) < 1e-5)
        #expect((record["sampler_logprob_gap"] != nil) == rescore)
        if rescore { #expect(record["sampler_logprob_gap"]! < 1e-4, "old log-probs are not the sampler's") }
    }

    /// The sampler's log-probabilities and entropies are the scored ones, placed on the same positions.
    @Test func samplerValuesEqualTheRescoredOnes() throws {
        let model = try toy.tinyPolicy()
        let prompts = toy.prompts(6)
        let rollout = model.generate(
            prompts: prompts,
            config: GenerationConfig(maxNewTokens: 6, temperature: Self.temperature, eosTokenIds: [], seed: 5))
        let batch = ResponseBatch(prompts: prompts, responses: rollout.tokens, padId: 0)
        let reference = model.copy()
        let sampled = RolloutScores(
            batch: batch, rollout: rollout, actor: model, reference: reference, temperature: Self.temperature,
            rescore: false)
        let rescored = RolloutScores(
            batch: batch, rollout: rollout, actor: model, reference: reference, temperature: Self.temperature,
            rescore: true)
        #expect(sampled.logProbs.shape == rescored.logProbs.shape)
        let gaps = zip(sampled.logProbs.scalars, rescored.logProbs.scalars).map { abs($0 - $1) }
        #expect(gaps.max()! < 1e-4, "largest gap \(gaps.max()!)")
        #expect(zip(sampled.logProbs.scalars, batch.responseMask.scalars).allSatisfy { $1 != 0 || $0 == 0 })
        #expect(abs(sampled.entropy - rescored.entropy) < 1e-4 && sampled.entropy > 0.1)
        #expect(sampled.referenceLogProbs.scalars == rescored.referenceLogProbs.scalars)
    }

    /// An actor with bf16 weights is rescored whenever products round activations to bf16 (its sampler multiplied
    /// exactly), and only then; the gap reports the rounding.
    @Test func bf16ActorIsRescoredWhereProductsRoundActivations() throws {
        let model = try toy.tinyPolicy()
        model.freeze()
        model.storeFrozenWeights(as: .bf16)
        let prompts = toy.prompts(6)
        let rollout = model.generate(
            prompts: prompts,
            config: GenerationConfig(maxNewTokens: 6, temperature: Self.temperature, eosTokenIds: [], seed: 5))
        let batch = ResponseBatch(prompts: prompts, responses: rollout.tokens, padId: 0)
        for mode in BFloat16Products.allCases {
            let scores = BFloat16Products.withMode(mode) {
                RolloutScores(
                    batch: batch, rollout: rollout, actor: model, reference: model, temperature: Self.temperature,
                    rescore: false)
            }
            let rounds = mode == .bfloat16Dot && BFloat16Products.dotInstructionsAvailable
            #expect((scores.samplerGap != nil) == rounds, "\(mode)")
            if let gap = scores.samplerGap { #expect(gap < 0.1, "bf16 rounding moved log-probs by \(gap)") }
        }
    }

    /// Sampled inside `withRoundedDecoding` (as the trainers sample), a bf16 actor's decoding rounds its rows like
    /// scoring does: on a shallow model its sampler's log-probabilities are the scoring forward's up to float rounding,
    /// far closer than an exact sampler's. (Through many layers the attention kernels' last-bit differences grow to the
    /// rounding's size, so the trainers still rescore; `RolloutScores`.)
    @Test(.enabled(if: BFloat16Products.dotInstructionsAvailable))
    func roundedDecodingSamplesTheDistributionScoringComputes() throws {
        let model = try toy.tinyPolicy()
        model.freeze()
        model.storeFrozenWeights(as: .bf16)
        let prompts = toy.prompts(6)
        let config = GenerationConfig(maxNewTokens: 6, temperature: Self.temperature, eosTokenIds: [], seed: 5)
        try BFloat16Products.withMode(.bfloat16Dot) {
            func gap(_ rollout: GenerationResult) throws -> Double {
                let batch = ResponseBatch(prompts: prompts, responses: rollout.tokens, padId: 0)
                let scores = RolloutScores(
                    batch: batch, rollout: rollout, actor: model, reference: model, temperature: Self.temperature,
                    rescore: false)
                return try #require(scores.samplerGap, "a bf16 actor is rescored")
            }
            let rounded = try gap(
                BFloat16Products.withRoundedDecoding { model.generate(prompts: prompts, config: config) })
            let exact = try gap(model.generate(prompts: prompts, config: config))
            #expect(rounded < 1e-4, "rounded decoding's sampler is \(rounded) from scoring")
            #expect(exact > 10 * rounded, "exact \(exact), rounded \(rounded)")
        }
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
            temperature: Self.temperature, rescore: true)
        #expect(scores.samplerGap! < 1e-4)
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
