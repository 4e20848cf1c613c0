import Alignment
import Foundation
import LanguageModels

/// What the DPO stage recorded.
struct DPOResult: Codable {
    var pairs: Int
    var meanChosenScore: Double
    var meanRejectedScore: Double
    var curves: [String: [Double]]
}

extension QuickstartPipeline {
    /// DPO from the SFT model on pairs the reward model labels: several SFT samples per prompt, the best and the
    /// worst by reward become chosen and rejected.
    func trainDPO() throws {
        let folder = run.folder(.dpo)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let tokenizer = try loadTokenizer()
        let sft = try loadSFTModel()
        let reward = try loadRewardModel(.mainRewardModel)
        let prompts = try splits.rl.prefix(settings.dpoPrompts).map {
            try ChatPolicy.promptTokens($0.text, tokenizer: tokenizer)
        }

        var config = DPOConfig()
        config.samplesPerPrompt = settings.dpoSamplesPerPrompt
        config.sampling = settings.sampling(temperature: 1)
        config.generationBatchSize = max(1, ChatPolicy.generationBatch / settings.dpoSamplesPerPrompt)
        config.learningRate = settings.dpoLearningRate
        config.steps = settings.dpoSteps
        config.warmupSteps = max(1, settings.dpoSteps / 10)
        (config.batchSize, config.gradientAccumulation) = pairMicroBatches(settings.dpoBatchSize)
        config.beta = settings.dpoBeta
        config.maxPromptLength = settings.maxLength
        config.maxLength = settings.maxLength + settings.maxNewTokens
        config.evalEvery = 0
        config.saveEvery = max(1, settings.dpoSteps / 2)
        config.logEvery = max(1, settings.dpoSteps / 5)
        config.seed = settings.seed(for: QuickstartStage.dpo.name)
        config.keepTruncatedSamples = settings.dpoKeepTruncatedSamples
        config.lora = lora
        config.activationCheckpointing = settings.activationCheckpointing ?? false
        reward.freezeForScoring()
        let built = try OnPolicyPairs.build(
            policy: sft, scorer: reward, prompts: prompts, config: config,
            stopTokenIds: tokenizer.chatStopTokenIDs)
        if built.pairs.isEmpty {
            throw QuickstartError(
                "stage dpo: no pairs from \(prompts.count) prompts: \(built.report.truncated) of "
                    + "\(prompts.count * settings.dpoSamplesPerPrompt) samples were cut at maxNewTokens \(settings.maxNewTokens) "
                    + "and left out, the rest gave no pair (scores too close or answers alike); raise maxNewTokens or set dpoKeepTruncatedSamples: true"
            )
        }
        log(
            String(
                format: "[dpo] %d pairs from %d prompts (reward chosen %.3f, rejected %.3f)", built.pairs.count,
                prompts.count, built.report.meanChosenScore, built.report.meanRejectedScore))
        // With LoRA the reference is the policy's own base (no copy); without, a copy trains.
        let policy = config.lora.isEnabled ? sft : sft.copy()
        let trains = try config.lora.prepare(policy, seed: settings.seed(for: "dpo-lora"))
        if startsFromRealModel { log("[dpo] \(trains)") }
        let reference = config.lora.isEnabled ? try policy.sharingBaseWeights() : sft
        let trainer = try DPOTrainer(
            policy: policy, reference: reference, train: built.pairs, config: config,
            output: folder.appendingPathComponent("checkpoints"), padId: padID(tokenizer))
        try trainer.run(resume: true)
        trainer.policy.mergeAdapters()
        try save(trainer.policy, tokenizer: tokenizer, to: folder.appendingPathComponent("policy"))
        let curves = metricsColumns(
            ["loss", "reward_margin", "reward_accuracy"], in: folder.appendingPathComponent("checkpoints"))
        try run.writeResult(
            DPOResult(
                pairs: built.pairs.count, meanChosenScore: built.report.meanChosenScore,
                meanRejectedScore: built.report.meanRejectedScore, curves: curves), stage: .dpo)
    }
}
