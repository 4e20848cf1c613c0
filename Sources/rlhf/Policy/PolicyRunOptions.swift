import Alignment
import ArgumentParser
import Collectives
import Foundation
import LanguageModels
import Tokenizers

/// What `rlhf ppo` and `rlhf grpo` share: the SFT policy, the reward model, the prompts and where the run goes.
struct PolicyRunOptions: ParsableArguments {
    @Option(help: "The SFT policy to start from (also the frozen reference): an HF directory or a .gguf file.")
    var policy: String

    @Option(help: "A reward model trained with `rlhf rm train` (on the policy's tokenizer).")
    var rewardModel: String

    @Option(help: "Prompts: JSON Lines of {\"prompt\": …} or {\"messages\": […]} ending with a user turn.")
    var prompts: String

    @Option(help: "Output directory (checkpoints, metrics.jsonl, the final policy in policy/).")
    var output: String

    @Option(help: "Tokenizer (default: the policy's).")
    var tokenizer: String?

    @Flag(help: "Start over even if --output holds checkpoints.")
    var noResume = false

    /// Everything loaded: policy, reward model, tokenizer, tokenized prompts.
    func load() throws -> (policy: TransformerLM, reward: RewardModel, tokenizer: Tokenizer, prompts: [[Int]]) {
        let policy = try loadModel(self.policy)
        let reward: RewardModel
        do { reward = try RewardModel.load(directory: URL(fileURLWithPath: rewardModel)) } catch {
            throw CommandFailure(error, about: rewardModel)
        }
        if reward.backbone.config.vocabSize != policy.config.vocabSize {
            throw CommandFailure(
                "\(rewardModel): vocabulary of \(reward.backbone.config.vocabSize) tokens, the policy has \(policy.config.vocabSize); train the reward model from the policy (same tokenizer)"
            )
        }
        let tok = try modelTokenizer(explicit: tokenizer, model: self.policy)
        do {
            return (policy, reward, tok, try PromptDataset.load(URL(fileURLWithPath: prompts), tokenizer: tok))
        } catch let error as TrainingError {
            throw CommandFailure(error.description)
        }
    }

    /// Saves the trained policy (Hugging Face layout, with the tokenizer's files) to `<output>/policy`; under mpirun
    /// rank 0 alone writes.
    func saveFinal(_ actor: TransformerLM, tokenizer: Tokenizer) throws {
        let directory = URL(fileURLWithPath: output).appendingPathComponent("policy")
        guard !Collectives.isQuietRank else { return }
        do {
            try actor.save(to: directory)
            try RMModelFiles.saveTokenizer(tokenizer, into: directory)
        } catch {
            throw CommandFailure(error, about: directory.path)
        }
        FileHandle.standardError.write(Data("final policy: \(directory.path)\n".utf8))
    }
}
