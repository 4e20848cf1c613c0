import Alignment
import ArgumentParser
import Foundation

/// `rlhf grpo`: group-relative policy optimisation (no critic).
struct GRPOCommand: ParsableCommand, DataParallelCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpo",
        abstract: "Optimise a policy against a reward model with GRPO (groups of samples per prompt, no critic).",
        discussion: """
            Settings come from --config and options override it. Log-probabilities, KL and entropy are taken at the \
            rollout temperature; topK and topP must stay off. missingEOSPenalty (default 0) is subtracted from the \
            score of an answer cut at maxNewTokens without an end-of-turn token. Checkpoints, metrics.jsonl (with \
            truncated_fraction, the share of cut answers) and the final policy go to --output; an interrupted run \
            resumes there.

            """ + ConfigOptions<GRPOConfig>.help
    )

    @OptionGroup var options: PolicyRunOptions

    @OptionGroup var config: ConfigOptions<GRPOConfig>

    func run() throws {
        let settings = try config.load()
        let (policy, reward, tokenizer, prompts) = try options.load()
        do {
            let models = try PolicyModels(
                policy: policy, reward: reward, lora: settings.lora, critic: false, criticFromReward: false,
                seed: settings.seed)
            printMachineLine()
            printError(models.summary)
            let trainer = try GRPOTrainer(
                config: settings, actor: models.actor, reference: models.reference, reward: reward,
                prompts: prompts, stopTokenIds: tokenizer.chatStopTokenIDs, output: URL(fileURLWithPath: options.output)
            )
            try trainer.run(resume: !options.noResume)
            try options.saveFinal(trainer.actor, tokenizer: tokenizer)
        } catch let error as TrainingError {
            throw CommandFailure(error.description)
        }
    }
}
