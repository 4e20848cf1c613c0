import Foundation
import TensorEngine

/// One micro-batch's forward pass, as a trainer hands it to `TrainingLoop`.
public struct MicroBatchLoss {
    /// The micro-batch's mean loss, differentiable (the loop scales it for accumulation and runs backward).
    public var loss: Tensor
    /// Items processed (tokens, pairs), for the throughput.
    public var items: Int
    /// Statistics to log beside the loss, averaged over the step's micro-batches.
    public var statistics: [String: Double]

    /// A micro-batch result.
    public init(loss: Tensor, items: Int, statistics: [String: Double] = [:]) {
        self.loss = loss
        self.items = items
        self.statistics = statistics
    }
}

/// The loop a trainer runs: resume from the latest checkpoint, then per step set the scheduled learning rate, sum
/// the gradients of `gradientAccumulation` micro-batches, stop on a non-finite loss or gradient norm (keeping the
/// last good checkpoint), clip, update with AdamW, log a metrics line, report progress and save checkpoints.
///
/// The trainer supplies only what differs: how a micro-batch of example indices becomes a loss, and what to
/// evaluate. Everything a resumed run needs to continue bit-exactly (model, optimizer, data position, generator)
/// goes through `TrainingCheckpoint`.
public struct TrainingLoop<Model: TrainableModel> {
    /// The loop's settings.
    public let settings: TrainingLoopConfig
    /// Where checkpoints and `metrics.jsonl` go.
    public let output: URL
    /// Examples the data cursor walks over.
    public let exampleCount: Int
    /// The metrics key and progress label of the throughput, e.g. ("pairs_per_s", "pairs/s").
    public let throughput: (metric: String, label: String)
    /// Statistics (from `MicroBatchLoss.statistics` or the evaluation) also shown on the progress line.
    public let progressKeys: [String]
    /// Whether to print progress lines at all.
    public var showProgress: Bool

    /// A loop over `exampleCount` examples writing into `output`.
    public init(
        settings: TrainingLoopConfig, output: URL, exampleCount: Int,
        throughput: (metric: String, label: String), progressKeys: [String] = [], showProgress: Bool = true
    ) {
        self.settings = settings
        self.output = output
        self.exampleCount = exampleCount
        self.throughput = throughput
        self.progressKeys = progressKeys
        self.showProgress = showProgress
    }

    /// Trains `initial` (or the model of the latest checkpoint in `output` when `resume` is set, loaded with
    /// `load`) to `settings.steps`. `forward` turns a micro-batch of example indices into its loss; `evaluate`
    /// returns the evaluation metrics to log (empty for none). Returns the trained model and the final checkpoint.
    public func run(
        _ initial: Model, resume: Bool, load: (TrainingCheckpoint) throws -> Model,
        forward: (Model, [Int]) -> MicroBatchLoss, evaluate: (Model) -> [String: Double]
    ) throws -> (model: Model, checkpoint: TrainingCheckpoint) {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        var model = initial
        var state = TrainingCheckpoint.State(
            step: 0, cursor: DataCursor(count: exampleCount, seed: settings.seed),
            generator: RandomGenerator(seed: settings.seed).state)
        var lastCheckpoint: TrainingCheckpoint? = nil
        var optimizer = makeOptimizer(model)
        if resume, let checkpoint = TrainingCheckpoint.latest(in: output) {
            model = try load(checkpoint)
            optimizer = makeOptimizer(model)
            try checkpoint.restore(optimizer)
            state = try checkpoint.loadState()
            if state.cursor.count != exampleCount {
                throw TrainingError.checkpoint(
                    path: checkpoint.directory.path,
                    problem:
                        "was made on \(state.cursor.count) examples, this run has \(exampleCount); resume with the same data or pass --no-resume"
                )
            }
            lastCheckpoint = checkpoint
        }
        model.setTrainable(true)
        model.checkpointsActivations = settings.activationCheckpointing
        let metrics = try MetricsLogger(url: output.appendingPathComponent("metrics.jsonl"))
        let progress = ProgressReporter(
            total: settings.steps, firstStep: state.step,
            enabled: showProgress && settings.logEvery > 0)
        let parameters = model.trainableParameters
        let accumulation = settings.gradientAccumulation

        while state.step < settings.steps {
            let started = Date()
            let lr = settings.schedule.learningRate(base: settings.learningRate, step: state.step)
            optimizer.learningRate = lr
            optimizer.zeroGrad()
            var lossSum = 0.0, items = 0
            var statistics: [String: Double] = [:]
            for _ in 0..<accumulation {
                let micro = forward(model, state.cursor.next(settings.batchSize))
                (micro.loss * (1 / Float(accumulation))).backward()
                lossSum += Double(micro.loss.item())
                items += micro.items
                for (key, value) in micro.statistics { statistics[key, default: 0] += value / Double(accumulation) }
            }
            let loss = Float(lossSum / Double(accumulation))
            if !loss.isFinite {
                throw TrainingError.nonFinite(
                    what: "loss", step: state.step, lastCheckpoint: lastCheckpoint?.directory.path)
            }
            let gradNorm = clipGradNorm(
                parameters, maxNorm: settings.clipGradientNorm > 0 ? settings.clipGradientNorm : .infinity)
            if !gradNorm.isFinite {
                throw TrainingError.nonFinite(
                    what: "gradient norm", step: state.step, lastCheckpoint: lastCheckpoint?.directory.path)
            }
            optimizer.step()
            state.step += 1
            let seconds = Date().timeIntervalSince(started)
            let rate = Double(items) / seconds
            var record: [String: Any] = [
                "step": state.step, "loss": loss, "lr": lr, "grad_norm": gradNorm,
                throughput.metric: rate, "epoch": state.cursor.epoch,
            ]
            for (key, value) in statistics { record[key] = value }
            let last = state.step == settings.steps
            if last || (settings.evalEvery > 0 && state.step % settings.evalEvery == 0) {
                for (key, value) in evaluate(model) { record[key] = value; statistics[key] = value }
            }
            metrics.log(record)
            if settings.logEvery > 0 && (state.step % settings.logEvery == 0 || last) {
                var fields = [("loss", String(format: "%.4f", loss))]
                fields += progressKeys.compactMap { key in statistics[key].map { (key, String(format: "%.4f", $0)) } }
                fields += [("lr", String(format: "%.2e", lr)), (throughput.label, String(format: "%.1f", rate))]
                progress.report(done: state.step, fields: fields)
            }
            if last || (settings.saveEvery > 0 && state.step % settings.saveEvery == 0) {
                lastCheckpoint = try TrainingCheckpoint.save(
                    model: model, optimizer: optimizer, state: state, in: output)
            }
        }
        if let lastCheckpoint { return (model, lastCheckpoint) }
        return (model, try TrainingCheckpoint.save(model: model, optimizer: optimizer, state: state, in: output))
    }

    private func makeOptimizer(_ model: Model) -> AdamW {
        AdamW(
            parameters: model.trainableParameters, learningRate: settings.learningRate, beta1: settings.beta1,
            beta2: settings.beta2, eps: settings.epsilon, weightDecay: settings.weightDecay)
    }
}
