import Alignment
import AlignmentData
import ArgumentParser
import Collectives
import Foundation
import PreferenceData
import Tokenizers

/// `rlhf rm train`: a reward model from preference pairs (paper §2).
struct RMTrainCommand: ParsableCommand, DataParallelCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a reward model: Bradley–Terry loss + score prior, optional length balancing.",
        discussion: """
            Pairs come from a preference store (--store; --split names a split made by `rlhf data filter|balance|split`, \
            without it every judged comparison is post-filtered) or a JSON Lines file (--train; any format `rlhf data \
            import` reads; post-filtered). Both responses of a pair are rendered with the tokenizer's chat template \
            and scored in one forward pass; the score is the head's value at the last token. Loss: \
            -log σ(r_w − r_l − margin) + λ·mean(r_w² + r_l²) (λ = scorePriorWeight, default 0.01; the paper gives \
            none). With balanceLengths (default on) the training pairs are length-balanced by buckets first. \
            Settings come from --config and options override it. \
            --model is an SFT or pretrained model (HF directory or .gguf; a fresh head is added) or a reward model \
            to continue. Checkpoints and metrics.jsonl go to --output, the final reward model with its tokenizer to \
            <output>/model; an interrupted run resumes from its latest checkpoint.

            """ + ConfigOptions<RewardModelConfig>.help
    )

    @Option(help: "Starting model: SFT/pretrained (HF directory or .gguf) or a reward model directory.")
    var model: String

    @Option(help: "Tokenizer (default: the model's).")
    var tokenizer: String?

    @OptionGroup var pairs: PairSourceOptions

    @Option(help: "Output directory.")
    var output: String

    @OptionGroup var config: ConfigOptions<RewardModelConfig>

    @OptionGroup var parallel: TensorParallelOptions

    @Flag(help: "Start over even if --output holds checkpoints.")
    var noResume = false

    func validate() throws {
        _ = try pairs.training()
    }

    func run() throws {
        let settings = try config.load()
        try parallel.refuseLoRA(settings.lora)
        let rm = try parallel.shard(RMModelFiles.startingModel(model, config: settings))
        let tok = try modelTokenizer(explicit: tokenizer, model: model)
        let out = URL(fileURLWithPath: output)
        let checkpoint = try oneLineErrors { () throws -> TrainingCheckpoint in
            let loaded = try pairs.training().load(scoreMargins: settings.useScoreMargins)
            let prepared = try PairDataset.prepare(
                loaded.pairs, scoreDifferences: loaded.scoreDifferences, config: settings,
                balance: settings.balanceLengths, tokenizer: tok)
            printMachineLine()
            report(loaded: loaded.pairs.count, prepared)
            if prepared.pairs.isEmpty && !loaded.pairs.isEmpty {
                throw CommandFailure(
                    "length balancing kept no pairs (in every bucket they all prefer the longer, or all the "
                        + "shorter, response); pass --no-balance-lengths or other --length-boundaries")
            }
            var evalPairs: [TokenizedPair] = []
            if let evalSource = pairs.heldOut {
                let held = try evalSource.load()
                evalPairs = try PairDataset.tokenize(
                    held.pairs.map(\.textPair), tokenizer: tok, maxLength: settings.maxLength)
                printError("eval pairs: \(evalPairs.count)")
            }
            printError(try settings.lora.prepare(rm.backbone, seed: settings.seed))
            let trainer = try RewardModelTrainer(
                model: rm, train: prepared.pairs, eval: evalPairs, config: settings,
                output: out, padId: RMModelFiles.padID(tok))
            trainer.tensorParallel = parallel.training(rm.backbone.tensorParallelism) { whole, parallelism in
                try RewardModel(backbone: whole.backbone.sharded(over: parallelism), head: whole.head)
            }
            let checkpoint = try trainer.run(resume: !noResume)
            // Shards gather the whole model (every rank of a group takes part); rank 0 writes.
            let trained = trainer.model.gatheredModel()
            if !Collectives.isQuietRank {
                let final = out.appendingPathComponent("model")
                try trained.save(to: final)
                try RMModelFiles.saveTokenizer(tok, into: final)
            }
            return checkpoint
        }
        printError(
            "final checkpoint: \(checkpoint.directory.path)\nreward model: \(out.appendingPathComponent("model").path)")
    }

    private func report(loaded: Int, _ prepared: PairDataset.Prepared) {
        guard let balancing = prepared.balancing else {
            printError("training pairs: \(loaded) (no length balancing)")
            return
        }
        let buckets = balancing.buckets.map { b in
            "\(b.lowerBound)–\(b.upperBound.map { String($0 - 1) } ?? ""): \(b.longerBefore)/\(b.shorterBefore)→\(b.longerAfter)/\(b.shorterAfter)"
        }
        printError(
            "training pairs: \(loaded) → \(balancing.after) after length balancing (\(balancing.unit); "
                + "preferred longer/shorter per bucket: " + buckets.joined(separator: ", ") + ")")
    }
}
