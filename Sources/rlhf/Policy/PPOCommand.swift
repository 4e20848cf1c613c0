import Alignment
import ArgumentParser
import Collectives
import Foundation
import LanguageModels

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

    @OptionGroup var parallel: TensorParallelOptions

    func run() throws {
        let settings = try config.load()
        try parallel.refuseLoRA(settings.lora)
        let (policy, wholeReward, tokenizer, prompts) = try options.load()
        do {
            let ptx = try ptxData.map { try SFTDataset.load(URL(fileURLWithPath: $0), tokenizer: tokenizer) } ?? []
            let models = try PolicyModels(
                policy: policy, reward: wholeReward, lora: settings.lora, critic: true,
                criticFromReward: settings.criticFromRewardModel, seed: settings.seed)
            printMachineLine()
            printError(models.summary)
            // With --tensor-parallel every model is split over the rank's group; generation runs on the actor's shards.
            let actor = try parallel.shard(models.actor)
            let critic = ValueModel(backbone: try parallel.shard(models.critic!.backbone), head: models.critic!.head)
            let reward = try parallel.shard(wholeReward)
            let trainer = try PPOTrainer(
                config: settings, actor: actor, critic: critic, reference: try parallel.shard(models.reference),
                reward: reward, prompts: prompts, ptxExamples: ptx,
                stopTokenIds: tokenizer.chatStopTokenIDs, output: URL(fileURLWithPath: options.output))
            if let actorShards = actor.tensorParallelism, let criticShards = critic.backbone.tensorParallelism {
                trainer.communicator = parallel.dataGroup()
                trainer.tensorParallel = (
                    world: Collectives.world,
                    shardActor: { (whole: TransformerLM) in try whole.sharded(over: actorShards) },
                    shardCritic: { (whole: ValueModel) in
                        ValueModel(backbone: try whole.backbone.sharded(over: criticShards), head: whole.head)
                    }
                )
            }
            try trainer.run(resume: !options.noResume)
            // Shards gather the whole policy (every rank of a group takes part); rank 0 writes.
            let trained = trainer.actor.tensorParallelism != nil ? trainer.actor.gathered() : trainer.actor
            try options.saveFinal(trained, tokenizer: tokenizer)
        } catch let error as TrainingError {
            throw CommandFailure(error.description)
        }
    }
}
