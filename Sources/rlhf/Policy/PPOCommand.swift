import Alignment
import ArgumentParser
import Foundation

/// `rlhf ppo`: PPO with the paper's stabilisers (reference baseline, PTX, prompt filtering).
struct PPOCommand: ParsableCommand, DataParallelCommand {
    static let configuration = CommandConfiguration(
        commandName: "ppo",
        abstract: "Optimise a policy against a reward model with PPO (actor, critic, frozen reference and reward).",
        discussion: """
            Settings come from --config and options override it. PTX needs --ptx-data (SFT JSON Lines). \
            Log-probabilities, KL and entropy are taken at the rollout temperature; topK and topP must stay off. \
            missingEOSPenalty (default 0) is subtracted from the score of an answer cut at maxNewTokens without an \
            end-of-turn token. Checkpoints, metrics.jsonl (with truncated_fraction, the share of cut answers) and the \
            final policy go to --output; an interrupted run resumes there.

            """ + ConfigOptions<PPOConfig>.help
    )

    @OptionGroup var options: PolicyRunOptions

    @OptionGroup var config: ConfigOptions<PPOConfig>

    @Option(help: "SFT data for the PTX loss (JSON Lines, as for rlhf sft).") var ptxData: String?

    func run() throws {
        let settings = try config.load()
        let (policy, reward, tokenizer, prompts) = try options.load()
        do {
            let ptx = try ptxData.map { try SFTDataset.load(URL(fileURLWithPath: $0), tokenizer: tokenizer) } ?? []
            let models = try PolicyModels(
                policy: policy, reward: reward, lora: settings.lora, critic: true,
                criticFromReward: settings.criticFromRewardModel, seed: settings.seed)
            printMachineLine()
            printError(models.summary)
            let trainer = try PPOTrainer(
                config: settings, actor: models.actor, critic: models.critic!, reference: models.reference,
                reward: reward, prompts: prompts, ptxExamples: ptx,
                stopTokenIds: tokenizer.chatStopTokenIDs, output: URL(fileURLWithPath: options.output))
            try trainer.run(resume: !options.noResume)
            try options.saveFinal(trainer.actor, tokenizer: tokenizer)
        } catch let error as TrainingError {
            throw CommandFailure(error.description)
        }
    }
}
