import Alignment
import ArgumentParser
import Foundation
import LanguageModels
import Tokenizers

/// `rlhf sft`: supervised fine-tuning on chats, the first stage of the pipeline.
struct SFTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sft",
        abstract: "Supervised fine-tuning on chat data (loss on the assistant's tokens only).",
        discussion: """
            Data: JSON Lines of {"messages": [{"role", "content"}, …]} or {"prompt", "response"}, rendered with the \
            tokenizer's chat template. Settings come from --config (YAML or JSON; any subset of: learningRate, \
            weightDecay, beta1, beta2, epsilon, steps, warmupSteps, minLearningRateRatio, batchSize, \
            gradientAccumulation, maxLength, clipGradientNorm, evalEvery, saveEvery, seed, logEvery) and flags \
            override it. Checkpoints, metrics.jsonl and the final model go to --output; an interrupted run resumes \
            from its latest checkpoint there.
            """
    )

    @Option(help: "Starting model: a Hugging Face directory or a .gguf file.")
    var model: String

    @Option(help: "Training data (JSON Lines).")
    var train: String

    @Option(help: "Held-out data for the eval loss (JSON Lines).")
    var eval: String?

    @Option(help: "Output directory.")
    var output: String

    @Option(help: "Tokenizer (default: the model's).")
    var tokenizer: String?

    @Option(help: "A YAML or JSON file of settings.")
    var config: String?

    @Option(help: "Override: optimizer steps.") var steps: Int?
    @Option(help: "Override: peak learning rate.") var learningRate: Float?
    @Option(help: "Override: sequences per micro-batch.") var batchSize: Int?
    @Option(help: "Override: micro-batches per step.") var gradientAccumulation: Int?
    @Option(help: "Override: warmup steps.") var warmupSteps: Int?
    @Option(help: "Override: tokens per example.") var maxLength: Int?
    @Option(help: "Override: seed of the data order.") var seed: UInt64?
    @Option(help: "Override: checkpoint interval.") var saveEvery: Int?
    @Option(help: "Override: eval interval.") var evalEvery: Int?

    @Flag(help: "Start over even if --output holds checkpoints.")
    var noResume = false

    func run() throws {
        var settings = try config.map { try ConfigFile.load(SFTConfig.self, from: $0) } ?? SFTConfig()
        if let steps { settings.steps = steps }
        if let learningRate { settings.learningRate = learningRate }
        if let batchSize { settings.batchSize = batchSize }
        if let gradientAccumulation { settings.gradientAccumulation = gradientAccumulation }
        if let warmupSteps { settings.warmupSteps = warmupSteps }
        if let maxLength { settings.maxLength = maxLength }
        if let seed { settings.seed = seed }
        if let saveEvery { settings.saveEvery = saveEvery }
        if let evalEvery { settings.evalEvery = evalEvery }
        if let problem = settings.problem { throw CommandFailure("invalid settings: \(problem)") }

        let lm = try loadModel(model)
        let tok = try modelTokenizer(explicit: tokenizer, model: model)
        do {
            let trainSet = try SFTDataset.load(URL(fileURLWithPath: train), tokenizer: tok)
            let evalSet = try eval.map { try SFTDataset.load(URL(fileURLWithPath: $0), tokenizer: tok) } ?? []
            let pad = tok.padTokenID ?? tok.eosTokenID ?? 0
            let trainer = try SFTTrainer(model: lm, train: trainSet, eval: evalSet, config: settings,
                                         output: URL(fileURLWithPath: output), padId: pad)
            let checkpoint = try trainer.run(resume: !noResume)
            FileHandle.standardError.write(Data("final checkpoint: \(checkpoint.directory.path)\n".utf8))
        } catch let error as TrainingError {
            throw CommandFailure(error.description)
        }
    }
}
