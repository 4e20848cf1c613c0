import Foundation
import LanguageModels
import TensorEngine

/// Reward-model training (ChatGLM-RLHF §2): Bradley–Terry ranking loss with the zero-mean score prior
/// (`rewardModelLoss`), both sides of each pair in one forward pass, through the shared `TrainingLoop` (gradient
/// accumulation, AdamW, warmup + cosine, clipping, NaN guard, metrics, progress, checkpoints that resume exactly).
public final class RewardModelTrainer {
    /// The run's settings.
    public let config: RewardModelConfig
    /// The model being trained (replaced by the checkpoint's when resuming).
    public private(set) var model: RewardModel
    private let train: [TokenizedPair]
    private let eval: [TokenizedPair]
    private let output: URL
    private let padId: Int
    /// Whether to print progress lines.
    public var showProgress = true

    /// A trainer writing checkpoints and `metrics.jsonl` into `output`; pairs are padded with `padId`.
    public init(
        model: RewardModel, train: [TokenizedPair], eval: [TokenizedPair], config: RewardModelConfig,
        output: URL, padId: Int = 0
    ) throws {
        if let problem = config.problem { throw TrainingError.invalidConfig(problem) }
        if train.isEmpty { throw TrainingError.invalidData("no training pairs") }
        let positions = model.backbone.config.maxPositions
        if let long = (train + eval).first(where: { max($0.chosen.count, $0.rejected.count) > positions }) {
            throw TrainingError.invalidData(
                "a pair has \(max(long.chosen.count, long.rejected.count)) tokens, more than the model's \(positions) positions; lower maxLength"
            )
        }
        self.model = model
        self.train = train
        self.eval = eval
        self.config = config
        self.output = output
        self.padId = padId
    }

    /// The evaluation report of `pairs` under the current model.
    public func evaluate(_ pairs: [TokenizedPair]) -> RewardEvaluationReport {
        let (chosen, rejected) = RewardModelEvaluation.scores(
            of: pairs, model: model, batchSize: config.batchSize, padId: padId)
        return RewardModelEvaluation.report(
            pairs: pairs, chosenScores: chosen, rejectedScores: rejected,
            lengthBoundaries: config.evaluationLengthBoundaries,
            calibrationBins: config.calibrationBins)
    }

    /// Tensor parallelism (nil: none); the model given to the trainer is then already this rank's shard.
    public var tensorParallel: TensorParallelTraining<RewardModel>?

    /// Trains to `config.steps`, resuming from the latest checkpoint in `output` when `resume` is set.
    /// Returns the final checkpoint (its `modelDirectory` holds the reward model).
    @discardableResult
    public func run(resume: Bool = true) throws -> TrainingCheckpoint {
        var loop = TrainingLoop<RewardModel>(
            settings: config.loop, output: output, exampleCount: train.count,
            throughput: ("pairs_per_s", "pairs/s"),
            progressKeys: ["accuracy", "score_mean", "eval_accuracy"])
        loop.showProgress = showProgress
        tensorParallel?.configure(&loop)
        loop.fingerprint = DataParallel.fingerprint(
            config: config, data: (train + eval).flatMap { [$0.chosen, $0.rejected] })
        let (trained, checkpoint) = try loop.run(
            model, resume: resume,
            load: { [model] checkpoint in
                // With LoRA only the adapters and the head changed; the frozen base stays as the run holds it.
                guard model.backbone.hasAdapters else {
                    return try RewardModel.load(directory: checkpoint.modelDirectory)
                }
                try model.restoreTrainedWeights(from: checkpoint.modelDirectory, headFile: RewardModel.headFileName)
                return model
            },
            forward: { [train, padId, config] model, indices in
                let batch = PairBatch(indices.map { train[$0] }, padId: padId)
                let (chosen, rejected) = batch.split(
                    model.scores(batch.sequences.ids, attentionMask: batch.sequences.attentionMask))
                let result = rewardModelLoss(
                    chosenScores: chosen, rejectedScores: rejected, margins: batch.margins,
                    scorePriorWeight: config.scorePriorWeight)
                let scores = (chosen.scalars + rejected.scalars).map(Double.init)
                // Under data parallelism statistics are averaged over ranks by pairs: exact for the means, while
                // score_std becomes the ranks' pair-weighted mean standard deviation.
                return MicroBatchLoss(
                    loss: result.loss, items: batch.pairCount,
                    statistics: [
                        "ranking_loss": Double(result.rankingLoss), "accuracy": Double(result.accuracy),
                        "score_mean": RewardStatistics.mean(scores)!,
                        "score_std": RewardStatistics.standardDeviation(scores)!,
                    ])
            },
            evaluate: { [eval] model in
                guard !eval.isEmpty else { return [:] }
                self.model = model
                return Self.metrics(of: self.evaluate(eval))
            })
        model = trained
        return checkpoint
    }

    /// The evaluation numbers logged in `metrics.jsonl`, prefixed `eval_`.
    static func metrics(of report: RewardEvaluationReport) -> [String: Double] {
        var metrics = [
            "eval_accuracy": report.accuracy, "eval_ranking_loss": report.rankingLoss,
            "eval_score_mean": report.scoreMean, "eval_score_std": report.scoreStd,
        ]
        if let r = report.lengthPearson { metrics["eval_length_pearson"] = r }
        if let r = report.lengthSpearman { metrics["eval_length_spearman"] = r }
        return metrics
    }
}
