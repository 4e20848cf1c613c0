import Alignment
import ArgumentParser
import Collectives
import Foundation
import LanguageModels

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

    @OptionGroup var parallel: TensorParallelOptions

    func run() throws {
        let settings = try config.load()
        try parallel.refuseLoRA(settings.lora)
        let (policy, wholeReward, tokenizer, prompts) = try options.load()
        do {
            let models = try PolicyModels(
                policy: policy, reward: wholeReward, lora: settings.lora, critic: false, criticFromReward: false,
                seed: settings.seed)
            printMachineLine()
            printError(models.summary)
            // With --tensor-parallel every model is split over the rank's group; generation runs on the actor's shards.
            let actor = try parallel.shard(models.actor)
            let reward = try parallel.shard(wholeReward)
            let trainer = try GRPOTrainer(
                config: settings, actor: actor, reference: try parallel.shard(models.reference), reward: reward,
                prompts: prompts, stopTokenIds: tokenizer.chatStopTokenIDs, output: URL(fileURLWithPath: options.output)
            )
            if let shards = actor.tensorParallelism {
                trainer.communicator = parallel.dataGroup()
                trainer.tensorParallel = (
                    world: Collectives.world, shardActor: { (whole: TransformerLM) in try whole.sharded(over: shards) }
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
