import Foundation
import Testing

@testable import Alignment

/// Config files written for the flat configs of earlier versions (every key they knew, none at its default) load
/// into today's configs, where the training loop's and the sampling settings are embedded structs.
@Suite struct EarlierConfigFilesTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/configs")

    func load<Config: KeyedConfig>(_ type: Config.Type, _ name: String) throws -> Config {
        try JSONDecoder().decode(Config.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent(name)))
    }

    /// The loop settings every earlier SFT, reward-model and DPO file in the fixtures sets.
    func expectLoop(_ loop: TrainingLoopConfig) {
        var expected = TrainingLoopConfig(learningRate: 2e-4)
        expected.weightDecay = 0.01; expected.beta1 = 0.8; expected.beta2 = 0.95; expected.epsilon = 1e-6
        expected.steps = 12; expected.warmupSteps = 3; expected.minLearningRateRatio = 0.2; expected.batchSize = 4
        expected.gradientAccumulation = 2; expected.clipGradientNorm = 0.5; expected.evalEvery = 5
        expected.saveEvery = 6; expected.seed = 7; expected.logEvery = 2
        #expect(loop == expected)
    }

    @Test func sft() throws {
        let config = try load(SFTConfig.self, "sft.json")
        expectLoop(config.loop)
        #expect(config.maxLength == 128)
    }

    @Test func rewardModel() throws {
        let config = try load(RewardModelConfig.self, "rm.json")
        expectLoop(config.loop)
        #expect(config.maxLength == 128 && config.scorePriorWeight == 0.1 && !config.balanceLengths)
        #expect(config.lengthUnit == .tokens && config.lengthBoundaries == [3, 9] && config.useScoreMargins)
        #expect(config.marginScale == 0.5 && config.headInitStd == 0.05 && config.calibrationBins == 4)
    }

    @Test func dpo() throws {
        let config = try load(DPOConfig.self, "dpo.json")
        expectLoop(config.loop)
        #expect(config.beta == 0.3 && config.lossType == .ipo && config.sftCoefficient == 0.2)
        #expect(config.maxPromptLength == 64 && config.maxLength == 160 && config.samplesPerPrompt == 6)
        #expect(config.sampling.maxNewTokens == 32 && config.sampling.temperature == 0.7)
        #expect(config.sampling.topK == 20 && config.sampling.topP == 0.9)
        #expect(config.minScoreGap == 0.1 && config.keepTruncatedSamples && config.generationBatchSize == 2)
    }

    @Test func ppo() throws {
        let config = try load(PPOConfig.self, "ppo.json")
        #expect(config.iterations == 7 && config.promptsPerIteration == 4)
        #expect(config.sampling.maxNewTokens == 32 && config.sampling.temperature == 0.7)
        #expect(config.missingEOSPenalty == 0.5 && config.ppoEpochs == 2 && config.minibatchSize == 2)
        #expect(config.actorLearningRate == 2e-4 && config.criticLearningRate == 3e-4 && config.weightDecay == 0.01)
        #expect(config.clipGradientNorm == 0.5 && config.clipRange == 0.1 && config.valueClipRange == 0.3)
        #expect(config.gamma == 0.99 && config.lambda == 0.9 && config.whitenAdvantages)
        #expect(
            config.klCoefficient == 0.02 && config.klTarget == 6 && config.klHorizon == 500 && config.klEstimator == .k3
        )
        #expect(!config.referenceBaseline && config.referenceBaselineSamples == 2)
        #expect(config.ptxCoefficient == 0.1 && config.ptxBatchSize == 3)
        #expect(config.promptFilterSamples == 4 && config.promptFilterMinVariance == 0.001)
        #expect(!config.criticFromRewardModel && config.seed == 7 && config.logEvery == 2 && config.saveEvery == 3)
        #expect(try load(PPOConfig.self, "ppo-truncation-penalty.json").missingEOSPenalty == 0.5)
    }

    @Test func grpo() throws {
        let config = try load(GRPOConfig.self, "grpo.json")
        #expect(config.iterations == 7 && config.promptsPerIteration == 4 && config.groupSize == 6)
        #expect(config.sampling.maxNewTokens == 32 && config.sampling.temperature == 0.7)
        #expect(config.missingEOSPenalty == 0.5 && config.epochs == 2 && config.minibatchSize == 2)
        #expect(config.learningRate == 2e-4 && config.weightDecay == 0.01 && config.clipGradientNorm == 0.5)
        #expect(config.clipRange == 0.1 && config.klCoefficient == 0.02 && config.klEstimator == .k1)
        #expect(!config.scaleAdvantagesByStd && config.seed == 7 && config.logEvery == 2 && config.saveEvery == 3)
    }

    /// Today's configs write the keys earlier files used plus those added since (LoRA's, activation
    /// checkpointing and selective recomputation, the data-parallel weight check of the TrainingLoop trainers, rescoring rollouts in PPO and
    /// GRPO), each once.
    @Test func theKeysAreTheEarlierOnes() throws {
        for name in ["sft", "rm", "dpo", "ppo", "grpo"] {
            let file = try JSONSerialization.jsonObject(
                with: Data(contentsOf: Self.fixtures.appendingPathComponent("\(name).json")))
            let earlier = Set((file as! [String: Any]).keys)
            let now: [String] =
                switch name {
                case "sft": SFTConfig.keyNames
                case "rm": RewardModelConfig.keyNames
                case "dpo": DPOConfig.keyNames
                case "ppo": PPOConfig.keyNames
                default: GRPOConfig.keyNames
                }
            let dataParallel = ["sft", "rm", "dpo"].contains(name) ? ["weightCheckEvery"] : []
            let rollouts = ["ppo", "grpo"].contains(name) ? ["rescoreRollouts"] : []
            let ppo = name == "ppo" ? ["microBatchSize"] : []
            let added = Set(
                LoRAConfig.keys.map(\.name) + ["activationCheckpointing", "recomputeActivations"] + dataParallel
                    + rollouts + ppo)
            #expect(Set(now).subtracting(added) == earlier, "\(name)")
            #expect(Set(now).isSuperset(of: added), "\(name)")
            #expect(now.count == earlier.count + added.count, "\(name): a key listed twice")
        }
    }

    @Test func writtenConfigsReadBackEqual() throws {
        func roundTrip<Config: KeyedConfig & Equatable>(_ config: Config) throws {
            #expect(try JSONDecoder().decode(Config.self, from: JSONEncoder().encode(config)) == config)
        }
        try roundTrip(try load(SFTConfig.self, "sft.json"))
        try roundTrip(try load(RewardModelConfig.self, "rm.json"))
        try roundTrip(try load(DPOConfig.self, "dpo.json"))
        try roundTrip(try load(PPOConfig.self, "ppo.json"))
        try roundTrip(try load(GRPOConfig.self, "grpo.json"))
    }
}
