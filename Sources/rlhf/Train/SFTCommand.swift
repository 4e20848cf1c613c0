import Alignment
import ArgumentParser
import Foundation
import LanguageModels
import Tokenizers

/// `rlhf sft`: supervised fine-tuning on chats, the first stage of the pipeline.
struct SFTCommand: ParsableCommand, DataParallelCommand {
    static let configuration = CommandConfiguration(
        commandName: "sft",
        abstract: "Supervised fine-tuning on chat data (loss on the assistant's tokens only).",
        discussion: """
            Data: JSON Lines of {"messages": [{"role", "content"}, …]} or {"prompt", "response"}, rendered with the \
            tokenizer's chat template; --model is the starting model. Settings come from --config and options override it. Checkpoints, \
            metrics.jsonl and the final model go to --output; an interrupted run resumes from its latest checkpoint \
            there.

            """ + ConfigOptions<SFTConfig>.help
    )

    @OptionGroup var model: ModelOptions

    @Option(help: "Training data (JSON Lines).")
    var train: String

    @Option(help: "Held-out data for the eval loss (JSON Lines).")
    var eval: String?

    @Option(help: "Output directory.")
    var output: String

    @OptionGroup var config: ConfigOptions<SFTConfig>

    @OptionGroup var parallel: TensorParallelOptions

    @Flag(help: "Start over even if --output holds checkpoints.")
    var noResume = false

    func run() throws {
        let settings = try config.load()
        try parallel.refuseLoRA(settings.lora)
        let lm = try parallel.loadModel(model)
        let tok = try model.loadTokenizer()
        do {
            let trainSet = try SFTDataset.load(URL(fileURLWithPath: train), tokenizer: tok)
            let evalSet = try eval.map { try SFTDataset.load(URL(fileURLWithPath: $0), tokenizer: tok) } ?? []
            let pad = tok.padTokenID ?? tok.eosTokenID ?? 0
            printMachineLine()
            printError(try settings.lora.prepare(lm, seed: settings.seed))
            let trainer = try SFTTrainer(
                model: lm, train: trainSet, eval: evalSet, config: settings,
                output: URL(fileURLWithPath: output), padId: pad)
            trainer.tensorParallel = parallel.training(lm.tensorParallelism) { whole, parallelism in
                try whole.sharded(over: parallelism)
            }
            let checkpoint = try trainer.run(resume: !noResume)
            printError("final checkpoint: \(checkpoint.directory.path)")
        } catch let error as TrainingError {
            throw CommandFailure(error.description)
        }
    }
}
