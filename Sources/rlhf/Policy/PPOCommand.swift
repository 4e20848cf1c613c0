import Alignment
import ArgumentParser
import Foundation

/// `rlhf ppo`: PPO with the paper's stabilisers (reference baseline, PTX, prompt filtering).
struct PPOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ppo",
        abstract: "Optimise a policy against a reward model with PPO (actor, critic, frozen reference and reward).",
        discussion: """
            Settings come from --config (YAML or JSON; any subset of PPOConfig's fields by name, e.g. iterations, \
            promptsPerIteration, maxNewTokens, temperature, ppoEpochs, minibatchSize, actorLearningRate, \
            criticLearningRate, clipRange, valueClipRange, gamma, lambda, whitenAdvantages, klCoefficient, klTarget, \
            klEstimator, referenceBaseline, referenceBaselineSamples, ptxCoefficient, promptFilterSamples, \
            missingEOSPenalty, criticFromRewardModel, seed, saveEvery) and flags override it. PTX needs --ptx-data \
            (SFT JSON Lines). Log-probabilities, KL and entropy are taken at the rollout temperature; topK and topP \
            must stay off. missingEOSPenalty (default 0) is subtracted from the score of an answer cut at \
            maxNewTokens without an end-of-turn token. Checkpoints, metrics.jsonl (with truncated_fraction, the share \
            of cut answers) and the final policy go to --output; an interrupted run resumes there.
            """
    )

    @OptionGroup var options: PolicyRunOptions

    @Option(help: "SFT data for the PTX loss (JSON Lines, as for rlhf sft).") var ptxData: String?
    @Option(help: "Override: iterations.") var iterations: Int?
    @Option(help: "Override: prompts per iteration.") var promptsPerIteration: Int?
    @Option(help: "Override: most new tokens per response.") var maxNewTokens: Int?
    @Option(help: "Override: actor learning rate.") var actorLearningRate: Float?
    @Option(help: "Override: critic learning rate.") var criticLearningRate: Float?
    @Option(help: "Override: KL coefficient β.") var klCoefficient: Float?
    @Option(help: "Override: PTX coefficient γ.") var ptxCoefficient: Float?
    @Option(name: .customLong("missing-eos-penalty"), help: "Override: score penalty of an answer cut without end-of-turn (≥ 0).")
    var missingEOSPenalty: Float?
    @Option(help: "Override: seed.") var seed: UInt64?
    @Option(help: "Override: reference baseline on or off (true/false).") var referenceBaseline: Bool?

    func run() throws {
        var settings = try options.config.map { try ConfigFile.load(PPOConfig.self, from: $0) } ?? PPOConfig()
        if let iterations { settings.iterations = iterations }
        if let promptsPerIteration { settings.promptsPerIteration = promptsPerIteration }
        if let maxNewTokens { settings.maxNewTokens = maxNewTokens }
        if let actorLearningRate { settings.actorLearningRate = actorLearningRate }
        if let criticLearningRate { settings.criticLearningRate = criticLearningRate }
        if let klCoefficient { settings.klCoefficient = klCoefficient }
        if let ptxCoefficient { settings.ptxCoefficient = ptxCoefficient }
        if let missingEOSPenalty { settings.missingEOSPenalty = missingEOSPenalty }
        if let seed { settings.seed = seed }
        if let referenceBaseline { settings.referenceBaseline = referenceBaseline }
        if let problem = settings.problem { throw CommandFailure("invalid settings: \(problem)") }

        let (policy, reward, tokenizer, prompts) = try options.load()
        do {
            let ptx = try ptxData.map { try SFTDataset.load(URL(fileURLWithPath: $0), tokenizer: tokenizer) } ?? []
            let critic = settings.criticFromRewardModel ? ValueModel(copying: reward) : ValueModel(copying: policy, seed: settings.seed)
            let trainer = try PPOTrainer(config: settings, actor: policy.copy(), critic: critic, reference: policy,
                                         reward: reward, prompts: prompts, ptxExamples: ptx,
                                         stopTokenIds: tokenizer.chatStopTokenIDs, output: URL(fileURLWithPath: options.output))
            try trainer.run(resume: !options.noResume)
            try options.saveFinal(trainer.actor, tokenizer: tokenizer)
        } catch let error as TrainingError {
            throw CommandFailure(error.description)
        }
    }
}
