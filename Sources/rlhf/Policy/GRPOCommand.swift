import Alignment
import ArgumentParser
import Foundation

/// `rlhf grpo`: group-relative policy optimisation (no critic).
struct GRPOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpo",
        abstract: "Optimise a policy against a reward model with GRPO (groups of samples per prompt, no critic).",
        discussion: """
            Settings come from --config (YAML or JSON; any subset of GRPOConfig's fields by name: iterations, \
            promptsPerIteration, groupSize, maxNewTokens, temperature, topK, topP, missingEOSPenalty, epochs, \
            minibatchSize, learningRate, weightDecay, clipGradientNorm, clipRange, klCoefficient, klEstimator, \
            scaleAdvantagesByStd, seed, logEvery, saveEvery) and flags override it. Log-probabilities, KL and entropy \
            are taken at the rollout temperature; topK and topP must stay off. missingEOSPenalty (default 0) is \
            subtracted from the score of an answer cut at maxNewTokens without an end-of-turn token. Checkpoints, \
            metrics.jsonl (with truncated_fraction, the share of cut answers) and the final policy go to --output; an \
            interrupted run resumes there.
            """
    )

    @OptionGroup var options: PolicyRunOptions

    @Option(help: "Override: iterations.") var iterations: Int?
    @Option(help: "Override: prompts per iteration.") var promptsPerIteration: Int?
    @Option(help: "Override: responses per prompt.") var groupSize: Int?
    @Option(help: "Override: most new tokens per response.") var maxNewTokens: Int?
    @Option(help: "Override: learning rate.") var learningRate: Float?
    @Option(help: "Override: KL loss coefficient β.") var klCoefficient: Float?
    @Option(name: .customLong("missing-eos-penalty"), help: "Override: score penalty of an answer cut without end-of-turn (≥ 0).")
    var missingEOSPenalty: Float?
    @Option(help: "Override: seed.") var seed: UInt64?

    func run() throws {
        var settings = try options.config.map { try ConfigFile.load(GRPOConfig.self, from: $0) } ?? GRPOConfig()
        if let iterations { settings.iterations = iterations }
        if let promptsPerIteration { settings.promptsPerIteration = promptsPerIteration }
        if let groupSize { settings.groupSize = groupSize }
        if let maxNewTokens { settings.maxNewTokens = maxNewTokens }
        if let learningRate { settings.learningRate = learningRate }
        if let klCoefficient { settings.klCoefficient = klCoefficient }
        if let missingEOSPenalty { settings.missingEOSPenalty = missingEOSPenalty }
        if let seed { settings.seed = seed }
        if let problem = settings.problem { throw CommandFailure("invalid settings: \(problem)") }

        let (policy, reward, tokenizer, prompts) = try options.load()
        do {
            let trainer = try GRPOTrainer(config: settings, actor: policy.copy(), reference: policy, reward: reward,
                                          prompts: prompts, stopTokenIds: tokenizer.chatStopTokenIDs, output: URL(fileURLWithPath: options.output))
            try trainer.run(resume: !options.noResume)
            try options.saveFinal(trainer.actor, tokenizer: tokenizer)
        } catch let error as TrainingError {
            throw CommandFailure(error.description)
        }
    }
}
