import Foundation
import LanguageModels
import TensorEngine

/// Supervised fine-tuning: next-token cross-entropy on the assistant tokens only, through the shared `TrainingLoop`
/// (gradient accumulation, AdamW, warmup + cosine, clipping, NaN guard, metrics, progress, checkpoints that resume
/// exactly).
public final class SFTTrainer {
    /// The run's settings.
    public let config: SFTConfig
    /// The model being trained (replaced by the checkpoint's when resuming).
    public private(set) var model: TransformerLM
    private let train: [TokenizedExample]
    private let eval: [TokenizedExample]
    private let output: URL
    private let padId: Int
    /// Whether to print progress lines.
    public var showProgress = true

    /// A trainer writing checkpoints and `metrics.jsonl` into `output`.
    public init(
        model: TransformerLM, train: [TokenizedExample], eval: [TokenizedExample], config: SFTConfig,
        output: URL, padId: Int = 0
    ) throws {
        if let problem = config.problem { throw TrainingError.invalidConfig(problem) }
        if train.isEmpty { throw TrainingError.invalidData("no training examples") }
        if !train.contains(where: { $0.trainMask.dropFirst().contains(true) }) {
            throw TrainingError.invalidData("no example has a trained (assistant) token after its first token")
        }
        self.model = model
        self.train = train
        self.eval = eval
        self.config = config
        self.output = output
        self.padId = padId
    }

    /// The mean loss over the trained tokens of `examples`, without gradients.
    public func evaluate(_ examples: [TokenizedExample]) -> Float {
        var total = 0.0, tokens = 0
        withNoGrad {
            for start in stride(from: 0, to: examples.count, by: config.batchSize) {
                let batch = LanguageModelingBatch(
                    Array(examples[start..<min(start + config.batchSize, examples.count)]),
                    maxLength: config.maxLength, padId: padId)
                guard batch.trainedTokens > 0 else { continue }
                let loss = crossEntropy(model(batch.inputs), targets: batch.targets).item()
                total += Double(loss) * Double(batch.trainedTokens)
                tokens += batch.trainedTokens
            }
        }
        return tokens == 0 ? .nan : Float(total / Double(tokens))
    }

    /// Tensor parallelism (nil: none); the model given to the trainer is then already this rank's shard.
    public var tensorParallel: TensorParallelTraining<TransformerLM>?

    /// Trains to `config.steps`, resuming from the latest checkpoint in `output` when `resume` is set.
    /// Returns the final checkpoint.
    @discardableResult
    public func run(resume: Bool = true) throws -> TrainingCheckpoint {
        var loop = TrainingLoop<TransformerLM>(
            settings: config.loop, output: output, exampleCount: train.count,
            throughput: ("tokens_per_s", "tok/s"))
        loop.showProgress = showProgress
        tensorParallel?.configure(&loop)
        loop.fingerprint = DataParallel.fingerprint(
            config: config, data: train.map(\.ids) + train.map { $0.trainMask.map { $0 ? 1 : 0 } } + eval.map(\.ids))
        let (trained, checkpoint) = try loop.run(
            model, resume: resume, load: { [model] in try $0.loadModel(resuming: model) },
            forward: { [train, padId, config] model, indices in
                let batch = LanguageModelingBatch(indices.map { train[$0] }, maxLength: config.maxLength, padId: padId)
                // Right padding needs no key mask: causal attention never lets a real token see the padding after it.
                let loss = crossEntropy(model(batch.inputs), targets: batch.targets)
                // The loss is the mean over the trained tokens: under data parallelism each rank counts by its own.
                return MicroBatchLoss(
                    loss: loss, items: batch.inputs.count, weight: Double(batch.trainedTokens))
            },
            evaluate: { [eval] model in
                guard !eval.isEmpty else { return [:] }
                self.model = model
                return ["eval_loss": Double(self.evaluate(eval))]
            })
        model = trained
        return checkpoint
    }
}
