import Alignment
import Foundation
import LanguageModels
import Tokenizers

/// What a PPO stage recorded: per-iteration curves and the final policy's SFT loss on held-out SFT examples.
struct PPOResult: Codable {
    var curves: [String: [Double]]
    var heldOutSFTLoss: Double
}

extension QuickstartPipeline {
    /// The metrics of a PPO run kept as curves in the report.
    static let ppoCurveKeys = [
        "reward", "kl", "response_length", "return_variance", "reward_std", "entropy", "ptx_loss",
        "truncated_fraction",
    ]

    /// PPO from the SFT model against the reward model of `rewardStage`; the critic starts from that reward model.
    /// Its seed derives from `seedStage`'s name: an ablation and its full counterpart share it, so they differ only
    /// in the technique.
    func trainPPO(
        stage: QuickstartStage, rewardStage: QuickstartStage, referenceBaseline: Bool, ptx: Bool,
        seedStage: QuickstartStage
    ) throws {
        let folder = run.folder(stage)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let tokenizer = try loadTokenizer()
        let sft = try loadSFTModel()
        let reward = try loadRewardModel(rewardStage)
        let prompts = try splits.rl.map { try ChatPolicy.promptTokens($0.text, tokenizer: tokenizer) }
        let ptxExamples = ptx ? try SFTDataset.load(sftDataURL, tokenizer: tokenizer) : []

        var config = PPOConfig()
        config.iterations = settings.ppoIterations
        config.promptsPerIteration = settings.ppoPromptsPerIteration
        config.sampling = settings.sampling(temperature: 1)
        config.ppoEpochs = settings.ppoEpochs
        config.minibatchSize = settings.ppoMinibatchSize
        config.actorLearningRate = settings.ppoActorLearningRate
        config.criticLearningRate = settings.ppoCriticLearningRate
        config.klCoefficient = settings.ppoKLCoefficient
        config.whitenAdvantages = settings.ppoWhitenAdvantages
        config.missingEOSPenalty = settings.ppoMissingEOSPenalty
        config.referenceBaseline = referenceBaseline
        config.referenceBaselineSamples = settings.ppoReferenceBaselineSamples
        config.ptxCoefficient = ptx ? settings.ppoPTXCoefficient : 0
        config.ptxBatchSize = settings.ppoMinibatchSize
        config.seed = settings.seed(for: seedStage.name)
        config.saveEvery = max(1, settings.ppoIterations / 4)
        config.logEvery = max(1, settings.ppoIterations / 10)
        config.lora = lora
        config.activationCheckpointing = settings.activationCheckpointing ?? false
        // With LoRA one base serves actor and reference, and the critic is an adapter on the reward model's base.
        let models = try PolicyModels(
            policy: sft, reward: reward, lora: config.lora, critic: true, criticFromReward: true, seed: config.seed)
        if startsFromRealModel { log("[\(stage.name)] \(models.summary)") }
        let trainer = try PPOTrainer(
            config: config, actor: models.actor, critic: models.critic!,
            reference: models.reference, reward: reward, prompts: prompts, ptxExamples: ptxExamples,
            ptxMaxLength: settings.maxLength, stopTokenIds: tokenizer.chatStopTokenIDs,
            output: folder.appendingPathComponent("checkpoints"))
        try trainer.run(resume: true)
        // The policy as a plain Hugging Face checkpoint `rlhf generate --model` loads: adapters merged in.
        trainer.actor.mergeAdapters()
        try save(trainer.actor, tokenizer: tokenizer, to: folder.appendingPathComponent("policy"))
        let checkpoints = folder.appendingPathComponent("checkpoints")
        let curves = metricsColumns(Self.ppoCurveKeys, in: checkpoints)
        let loss = try heldOutSFTLoss(trainer.actor, tokenizer: tokenizer)
        try run.writeResult(PPOResult(curves: curves, heldOutSFTLoss: loss), stage: stage)
        log(
            String(
                format:
                    "[%@] reward %.3f → %.3f, KL %.3f, answers cut at maxNewTokens %.1f%% → %.1f%%, held-out SFT loss %.3f",
                stage.name, curves["reward"]?.first ?? .nan, curves["reward"]?.last ?? .nan, curves["kl"]?.last ?? .nan,
                100 * (curves["truncated_fraction"]?.first ?? .nan), 100 * (curves["truncated_fraction"]?.last ?? .nan),
                loss))
    }

    func loadPolicy(_ stage: QuickstartStage) throws -> TransformerLM {
        try TransformerLM.load(directory: run.folder(stage).appendingPathComponent("policy"))
    }
}
