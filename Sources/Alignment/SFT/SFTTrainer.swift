import Foundation
import LanguageModels
import TensorEngine

/// Supervised fine-tuning: next-token cross-entropy on the assistant tokens only, with gradient accumulation,
/// AdamW, warmup + cosine, clipping, periodic evaluation and checkpoints that resume exactly.
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
    public init(model: TransformerLM, train: [TokenizedExample], eval: [TokenizedExample], config: SFTConfig,
                output: URL, padId: Int = 0) throws {
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
                let batch = LanguageModelingBatch(Array(examples[start..<min(start + config.batchSize, examples.count)]),
                                                  maxLength: config.maxLength, padId: padId)
                guard batch.trainedTokens > 0 else { continue }
                let loss = crossEntropy(model(batch.inputs), targets: batch.targets).item()
                total += Double(loss) * Double(batch.trainedTokens)
                tokens += batch.trainedTokens
            }
        }
        return tokens == 0 ? .nan : Float(total / Double(tokens))
    }

    /// Trains to `config.steps`, resuming from the latest checkpoint in `output` when `resume` is set.
    /// Returns the final checkpoint.
    @discardableResult
    public func run(resume: Bool = true) throws -> TrainingCheckpoint {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        var state = TrainingCheckpoint.State(step: 0, cursor: DataCursor(count: train.count, seed: config.seed),
                                             generator: RandomGenerator(seed: config.seed).state)
        var lastCheckpoint: TrainingCheckpoint? = nil
        var optimizer = makeOptimizer()
        if resume, let checkpoint = TrainingCheckpoint.latest(in: output) {
            model = try checkpoint.loadModel()
            optimizer = makeOptimizer()
            try checkpoint.restore(optimizer)
            state = try checkpoint.loadState()
            lastCheckpoint = checkpoint
        }
        model.setTrainable(true)
        let metrics = try MetricsLogger(url: output.appendingPathComponent("metrics.jsonl"))
        let progress = ProgressReporter(total: config.steps, firstStep: state.step, enabled: showProgress && config.logEvery > 0)
        let parameters = model.parameters

        while state.step < config.steps {
            let started = Date()
            let lr = config.schedule.learningRate(base: config.learningRate, step: state.step)
            optimizer.learningRate = lr
            optimizer.zeroGrad()
            var lossSum = 0.0, tokens = 0
            for _ in 0..<config.gradientAccumulation {
                let batch = LanguageModelingBatch(state.cursor.next(config.batchSize).map { train[$0] },
                                                  maxLength: config.maxLength, padId: padId)
                // Right padding needs no key mask: causal attention never lets a real token see the padding after it.
                let loss = crossEntropy(model(batch.inputs), targets: batch.targets)
                (loss * (1 / Float(config.gradientAccumulation))).backward()
                lossSum += Double(loss.item())
                tokens += batch.inputs.count
            }
            let loss = Float(lossSum / Double(config.gradientAccumulation))
            if !loss.isFinite {
                throw TrainingError.nonFinite(what: "loss", step: state.step, lastCheckpoint: lastCheckpoint?.directory.path)
            }
            let gradNorm = config.clipGradientNorm > 0
                ? clipGradNorm(parameters, maxNorm: config.clipGradientNorm) : clipGradNorm(parameters, maxNorm: .infinity)
            if !gradNorm.isFinite {
                throw TrainingError.nonFinite(what: "gradient norm", step: state.step, lastCheckpoint: lastCheckpoint?.directory.path)
            }
            optimizer.step()
            state.step += 1
            let seconds = Date().timeIntervalSince(started)
            var record: [String: Any] = ["step": state.step, "loss": loss, "lr": lr, "grad_norm": gradNorm,
                                         "tokens_per_s": Double(tokens) / seconds, "epoch": state.cursor.epoch]
            let last = state.step == config.steps
            if !eval.isEmpty && (last || (config.evalEvery > 0 && state.step % config.evalEvery == 0)) {
                record["eval_loss"] = evaluate(eval)
            }
            metrics.log(record)
            if config.logEvery > 0 && (state.step % config.logEvery == 0 || last) {
                progress.report(done: state.step, ["loss": String(format: "%.4f", loss), "lr": String(format: "%.2e", lr),
                                                   "tok/s": String(format: "%.0f", Double(tokens) / seconds)])
            }
            if last || (config.saveEvery > 0 && state.step % config.saveEvery == 0) {
                lastCheckpoint = try TrainingCheckpoint.save(model: model, optimizer: optimizer, state: state, in: output)
            }
        }
        if let lastCheckpoint { return lastCheckpoint }
        return try TrainingCheckpoint.save(model: model, optimizer: optimizer, state: state, in: output)
    }

    private func makeOptimizer() -> AdamW {
        AdamW(parameters: model.parameters, learningRate: config.learningRate, beta1: config.beta1, beta2: config.beta2,
              eps: config.epsilon, weightDecay: config.weightDecay)
    }
}
