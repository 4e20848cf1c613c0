import Collectives
import Foundation
import TensorEngine

/// One micro-batch's forward pass, as a trainer hands it to `TrainingLoop`.
public struct MicroBatchLoss {
    /// The micro-batch's mean loss, differentiable (the loop scales it for accumulation and runs backward).
    public var loss: Tensor
    /// Items processed (tokens, pairs), for the throughput.
    public var items: Int
    /// What `loss` is the mean over (trained tokens, pairs): under data parallelism each rank's loss, gradient and
    /// statistics count in proportion to it, so that the result is the mean over the whole micro-batch.
    public var weight: Double
    /// Statistics to log beside the loss, averaged over the step's micro-batches.
    public var statistics: [String: Double]

    /// A micro-batch result; `weight` defaults to `items`.
    public init(loss: Tensor, items: Int, weight: Double? = nil, statistics: [String: Double] = [:]) {
        self.loss = loss
        self.items = items
        self.weight = weight ?? Double(items)
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
///
/// Launched with `mpirun -np N`, the loop is data-parallel (`DataParallel`): each rank computes its slice of every
/// micro-batch, the gradients (one flat buffer, `GradientBuffer`) are all-reduced once per step, and every rank takes
/// the same clipped AdamW step, so the run follows the one-rank run of the same global batch. Rank 0 alone writes
/// checkpoints (the same files as a one-rank run, so either can resume the other), metrics and progress.
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
    /// The ranks the run is spread over (default: `Collectives.world`, one process unless launched by mpirun).
    public var communicator: any Communicator
    /// What must be the same on every rank besides the loop's settings — the trainer's config and a checksum of its
    /// data — compared across ranks at the start.
    public var fingerprint: String = ""
    /// With tensor parallelism: every rank of the run, while `communicator` is this rank's data-parallel group (the
    /// ranks holding the same shard). Settings are compared across the world and its rank 0 alone writes. nil:
    /// `communicator` is the world.
    public var world: (any Communicator)? = nil
    /// Turns a whole model loaded from a checkpoint into this rank's tensor-parallel shard (nil: no tensor
    /// parallelism). The initial model is given already split; checkpoints always hold the whole model.
    public var shard: ((Model) throws -> Model)? = nil

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
        self.communicator = Collectives.world
    }

    /// Trains `initial` (or the model of the latest checkpoint in `output` when `resume` is set, loaded with
    /// `load`) to `settings.steps`. `forward` turns a micro-batch of example indices into its loss; `evaluate`
    /// returns the evaluation metrics to log (empty for none). Returns the trained model and the final checkpoint.
    public func run(
        _ initial: Model, resume: Bool, load: (TrainingCheckpoint) throws -> Model,
        forward: (Model, [Int]) -> MicroBatchLoss, evaluate: (Model) -> [String: Double]
    ) throws -> (model: Model, checkpoint: TrainingCheckpoint) {
        let parallel = DataParallel(communicator: communicator)
        let everyone = DataParallel(communicator: world ?? communicator)
        let writes = everyone.isRoot
        if writes { try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true) }
        var model = initial
        var state = TrainingCheckpoint.State(
            step: 0, cursor: DataCursor(count: exampleCount, seed: settings.seed),
            generator: RandomGenerator(seed: settings.seed).state)
        var lastCheckpoint: TrainingCheckpoint? = nil
        var optimizer = makeOptimizer(model)
        if resume, let checkpoint = TrainingCheckpoint.latest(in: output) {
            model = try load(checkpoint)
            if let shard { model = try shard(model) }
            optimizer = makeOptimizer(model)
            try checkpoint.restore(optimizer, transform: model.shardedOptimizerState)
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
        model.recomputesActivations = settings.recomputeActivations
        let parameters = model.trainableParameters
        let layout = model.shardLayout
        try everyone.checkSettings(
            "\(settings) \(exampleCount) \(output.standardizedFileURL.path) \(state.step) \(fingerprint)")
        if let problem = DataParallel.shardProblem(batchSize: settings.batchSize, ranks: parallel.size) {
            throw parallel.agreedFailure(problem)
        }
        try parallel.checkWeights(parameters, when: "at the start (step \(state.step))")
        let metrics =
            writes
            ? try MetricsLogger(
                url: output.appendingPathComponent("metrics.jsonl"), resumingAfter: ("step", state.step)) : nil
        let progress = ProgressReporter(
            total: settings.steps, firstStep: state.step,
            enabled: showProgress && settings.logEvery > 0 && writes)
        let gradients = parallel.size > 1 ? GradientBuffer(parameters: parameters) : nil
        let accumulation = settings.gradientAccumulation

        while state.step < settings.steps {
            let started = Date(), communicated = Collectives.tally
            let lr = settings.schedule.learningRate(base: settings.learningRate, step: state.step)
            optimizer.learningRate = lr
            if let gradients { gradients.attach() } else { optimizer.zeroGrad() }
            var lossSum = 0.0, items = 0
            var statistics: [String: Double] = [:]
            for _ in 0..<accumulation {
                let micro = forward(model, parallel.shard(state.cursor.next(settings.batchSize)))
                // This rank's part of the micro-batch's mean (exactly 1 with one rank); a rank with nothing to learn
                // from (no trained token in its slice) adds nothing.
                let share = parallel.share(of: micro.weight, step: state.step + 1)
                if share > 0 || parallel.size == 1 {
                    (micro.loss * (Float(share) / Float(accumulation))).backward()
                    lossSum += Double(micro.loss.item()) * share
                }
                items += micro.items
                for (key, value) in micro.statistics {
                    statistics[key, default: 0] += share > 0 ? value * share / Double(accumulation) : 0
                }
            }
            gradients?.allReduce(communicator, step: state.step + 1)
            (lossSum, items, statistics) = try parallel.reduce(
                loss: lossSum, items: items, statistics: statistics, step: state.step + 1)
            let loss = Float(lossSum / Double(accumulation))
            if !loss.isFinite {
                if everyone.size > 1 { Collectives.noteAgreedFailure() }
                throw TrainingError.nonFinite(
                    what: "loss", step: state.step, lastCheckpoint: lastCheckpoint?.directory.path)
            }
            let maxNorm = settings.clipGradientNorm > 0 ? settings.clipGradientNorm : Float.infinity
            let gradNorm = model.clipGradientNorm(maxNorm: maxNorm, label: "gradient norm at step \(state.step + 1)")
            if !gradNorm.isFinite {
                if everyone.size > 1 { Collectives.noteAgreedFailure() }
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
                "world_size": everyone.size, "data_parallel": parallel.size,
                "tensor_parallel": layout?.group.size ?? 1,
                "step_seconds": seconds,
            ]
            for (key, value) in statistics { record[key] = value }
            // Time and bytes in collectives this step (waiting for slower ranks included), when there are several.
            if everyone.size > 1 {
                for (key, value) in Collectives.tally.since(communicated).metrics { record[key] = value }
            }
            let last = state.step == settings.steps
            if last || (settings.evalEvery > 0 && state.step % settings.evalEvery == 0) {
                for (key, value) in evaluate(model) { record[key] = value; statistics[key] = value }
            }
            metrics?.log(record)
            if settings.logEvery > 0 && (state.step % settings.logEvery == 0 || last) {
                var fields = [("loss", String(format: "%.4f", loss))]
                fields += progressKeys.compactMap { key in statistics[key].map { (key, String(format: "%.4f", $0)) } }
                fields += [("lr", String(format: "%.2e", lr)), (throughput.label, String(format: "%.1f", rate))]
                progress.report(done: state.step, fields: fields)
            }
            if last || (settings.weightCheckEvery > 0 && state.step % settings.weightCheckEvery == 0) {
                try parallel.checkWeights(parameters, when: "after step \(state.step)")
            }
            if last || (settings.saveEvery > 0 && state.step % settings.saveEvery == 0) {
                lastCheckpoint = try save(model, optimizer, state, writes: writes)
            }
        }
        return (model, try lastCheckpoint ?? save(model, optimizer, state, writes: writes))
    }

    /// Rank 0 writes the checkpoint; every rank returns where it is. A tensor-parallel shard's ranks first gather the
    /// whole model and optimizer state, so that the files are a one-process run's. After the last step the other
    /// ranks wait for it, so that the checkpoint exists on every rank's return.
    private func save(_ model: Model, _ optimizer: AdamW, _ state: TrainingCheckpoint.State, writes: Bool)
        throws -> TrainingCheckpoint
    {
        var checkpoint = TrainingCheckpoint(directory: TrainingCheckpoint.directory(in: output, step: state.step))
        let (whole, optimizerState) = model.checkpointParts(optimizer)
        if writes {
            checkpoint = try TrainingCheckpoint.save(
                model: whole, optimizerState: optimizerState, state: state, in: output)
        }
        let everyone = world ?? communicator
        if state.step == settings.steps && everyone.size > 1 {
            everyone.barrier(label: "final checkpoint of step \(state.step)")
        }
        return checkpoint
    }

    private func makeOptimizer(_ model: Model) -> AdamW {
        AdamW(
            parameters: model.trainableParameters, learningRate: settings.learningRate, beta1: settings.beta1,
            beta2: settings.beta2, eps: settings.epsilon, weightDecay: settings.weightDecay)
    }
}
