import Alignment
import AlignmentData
import ArgumentParser
import Collectives
import Foundation
import LanguageModels
import PreferenceData

/// `rlhf dpo`: direct preference optimisation (paper §3) on human pairs or on pairs the reward model labels.
struct DPOCommand: ParsableCommand, DataParallelCommand {
    static let configuration = CommandConfiguration(
        commandName: "dpo",
        abstract: "Optimise a policy on preference pairs with DPO or IPO (offline, or on-policy with a reward model).",
        discussion: """
            Offline: pairs from a preference store (--store, optionally --split) or JSON Lines (--train; any format \
            `rlhf data import` reads). On-policy, as ChatGLM-RLHF does (--reward-model): the policy answers every \
            prompt samplesPerPrompt times, the reward model's best and worst answer become chosen and rejected; \
            prompts come from --prompts (JSON Lines of {"prompt": …} or {"messages": […]} ending with a user turn) \
            or are the prompts of the --store/--train pairs. Sampled pairs are kept in --output and reused when the \
            run resumes. Held-out pairs: --eval (JSON Lines), --eval-split (of --store) or --eval-prompts (sampled \
            like the training pairs, with seed + 1). The frozen reference is the starting policy; its log-probabilities \
            are computed once, before training. Loss: sigmoid −log σ(β·h) or IPO (h − 1/(2β))², h the log-ratio \
            margin, plus sftCoefficient × the next-token loss of the chosen answers. Settings come from --config \
            and options override it. Sampled answers cut at maxNewTokens (no end-of-turn token) are left out of the \
            pairs unless --keep-truncated-samples. \
            Checkpoints and metrics.jsonl (loss, reward accuracy, chosen/rejected implicit rewards, margin, and \
            their eval_ counterparts) go to --output, the final policy with its tokenizer to <output>/policy; an \
            interrupted run resumes from its latest checkpoint.

            """ + ConfigOptions<DPOConfig>.help
    )

    @Option(help: "The SFT policy to start from (also the frozen reference): an HF directory or a .gguf file.")
    var policy: String

    @Option(help: "Tokenizer (default: the policy's).")
    var tokenizer: String?

    @Option(help: "Output directory (checkpoints, metrics.jsonl, sampled pairs, the final policy in policy/).")
    var output: String

    @OptionGroup var pairs: PairSourceOptions

    @Option(
        help:
            "A reward model (`rlhf rm train`, on the policy's tokenizer): sample pairs from the policy and label them.")
    var rewardModel: String?

    @Option(help: "Prompts to sample pairs for (JSON Lines), with --reward-model.")
    var prompts: String?

    @Option(help: "Held-out prompts to sample pairs for (JSON Lines), with --reward-model.")
    var evalPrompts: String?

    @OptionGroup var config: ConfigOptions<DPOConfig>

    @OptionGroup var parallel: TensorParallelOptions

    @Flag(help: "Start over even if --output holds checkpoints (and sample pairs again).")
    var noResume = false

    func validate() throws {
        if rewardModel == nil {
            if prompts != nil || evalPrompts != nil {
                throw ValidationError("--prompts and --eval-prompts sample pairs: give --reward-model")
            }
            _ = try pairs.training()
        } else if prompts != nil {
            if pairs.isGiven { throw ValidationError("give --prompts, or --store/--train for their prompts, not both") }
        } else if !pairs.isGiven {
            throw ValidationError(
                "--reward-model samples pairs for prompts: give --prompts FILE.jsonl, --store or --train")
        } else {
            _ = try pairs.training()
        }
        if pairs.heldOut != nil && evalPrompts != nil {
            throw ValidationError("give one of --eval, --eval-split and --eval-prompts")
        }
    }

    func run() throws {
        let settings = try config.load()
        try parallel.refuseLoRA(settings.lora)
        let model = try parallel.shard(loadModel(policy))
        let tok = try modelTokenizer(explicit: tokenizer, model: policy)
        let out = URL(fileURLWithPath: output)
        let input = DPOPairInput(tokenizer: tok, settings: settings, output: out, resume: !noResume)
        let final = out.appendingPathComponent("policy")
        let checkpoint = try oneLineErrors { () throws -> TrainingCheckpoint in
            let (train, eval) = try trainingPairs(input, policy: model)
            printMachineLine()
            printError("training pairs: \(train.count), held-out pairs: \(eval.count)")
            printError(try settings.lora.prepare(model, seed: settings.seed))
            // Full fine-tuning: one model object serves as policy and reference, the reference being only read
            // before the first update. LoRA: the reference is the policy's base, shared.
            let reference = settings.lora.isEnabled ? try model.sharingBaseWeights() : model
            let trainer = try DPOTrainer(
                policy: model, reference: reference, train: train, eval: eval, config: settings,
                output: out, padId: RMModelFiles.padID(tok))
            trainer.tensorParallel = parallel.training(model.tensorParallelism) { whole, parallelism in
                try whole.sharded(over: parallelism)
            }
            let checkpoint = try trainer.run(resume: !noResume)
            // Shards gather the whole policy (every rank of a group takes part); rank 0 writes.
            let trained = trainer.policy.tensorParallelism != nil ? trainer.policy.gathered() : trainer.policy
            if !Collectives.isQuietRank {
                try trained.save(to: final)
                try RMModelFiles.saveTokenizer(tok, into: final)
            }
            return checkpoint
        }
        printError("final checkpoint: \(checkpoint.directory.path)\nfinal policy: \(final.path)")
    }

    /// The training and held-out pairs the flags name.
    private func trainingPairs(_ input: DPOPairInput, policy: TransformerLM) throws -> (
        train: [DPOPair], eval: [DPOPair]
    ) {
        let source = pairs.isGiven ? try pairs.training() : nil
        var heldOut = try pairs.heldOut.map { try input.offline($0) } ?? []
        guard let rewardModel else { return (try input.offline(source!), heldOut) }

        let rm = try RMModelFiles.trained(rewardModel)
        if rm.backbone.config.vocabSize != policy.config.vocabSize {
            throw CommandFailure(
                "\(rewardModel): vocabulary of \(rm.backbone.config.vocabSize) tokens, the policy has \(policy.config.vocabSize); train the reward model from the policy (same tokenizer)"
            )
        }
        let train = try input.sampled(
            "sampled-train-pairs", prompts: try input.prompts(file: prompts, source: source),
            policy: policy, rewardModel: rm)
        if let evalPrompts {
            heldOut = try input.sampled(
                "sampled-eval-pairs", prompts: try input.prompts(file: evalPrompts, source: nil),
                policy: policy, rewardModel: rm, seedOffset: 1)
        }
        return (train, heldOut)
    }
}
