import Foundation
import LanguageModels
import TensorEngine

/// Direct preference optimisation (ChatGLM-RLHF §3; Rafailov et al. 2023) and IPO on preference pairs, human or
/// labelled by a reward model (`OnPolicyPairs`), through the shared `TrainingLoop` (gradient accumulation, AdamW,
/// warmup + cosine, clipping, NaN guard, metrics, progress, checkpoints that resume exactly).
///
/// The frozen reference's log-probabilities of every pair are computed once, before the first update and without a
/// tape, and reused by every step and evaluation: the reference model is never run during training. So the
/// reference may be the very object being trained (no copy needed), as long as nothing trains it before `run`.
///
/// The maths lives in `dpoLoss`; this type only orchestrates.
public final class DPOTrainer {
    /// The run's settings.
    public let config: DPOConfig
    /// The policy being trained (replaced by the checkpoint's when resuming).
    public private(set) var policy: TransformerLM
    /// The training pairs, cut to `maxPromptLength` / `maxLength`.
    public let train: [DPOPair]
    /// The held-out pairs, cut alike.
    public let eval: [DPOPair]
    /// Whether to print progress lines.
    public var showProgress = true
    private let reference: TransformerLM
    private let output: URL
    private let padId: Int
    private var cachedReference: (train: PairLogProbs, eval: PairLogProbs)?

    /// A trainer of `policy` against `reference` (usually the same SFT model, or one object for both) writing
    /// checkpoints and `metrics.jsonl` into `output`; sequences are padded with `padId`.
    public init(
        policy: TransformerLM, reference: TransformerLM, train: [DPOPair], eval: [DPOPair] = [],
        config: DPOConfig, output: URL, padId: Int = 0
    ) throws {
        if let problem = config.problem { throw TrainingError.invalidConfig(problem) }
        if train.isEmpty { throw TrainingError.invalidData("no training pairs") }
        if policy.config.vocabSize != reference.config.vocabSize {
            throw TrainingError.invalidData(
                "policy (vocabulary \(policy.config.vocabSize)) and reference (vocabulary \(reference.config.vocabSize)) differ"
            )
        }
        let cut = { (pairs: [DPOPair]) in
            pairs.map { $0.truncated(maxPromptLength: config.maxPromptLength, maxLength: config.maxLength) }
        }
        let (train, eval) = (cut(train), cut(eval))
        try Self.check(train, "training", model: policy.config)
        try Self.check(eval, "held-out", model: policy.config)
        self.train = train
        self.eval = eval
        self.policy = policy
        self.reference = reference
        self.config = config
        self.output = output
        self.padId = padId
    }

    /// The reference log-probabilities of the training and held-out pairs: computed on first use, which `run`
    /// makes sure comes before any update, then kept.
    public func referenceLogProbs() -> (train: PairLogProbs, eval: PairLogProbs) {
        if let cachedReference { return cachedReference }
        let computed = (
            PairLogProbs(of: train, under: reference, batchSize: config.batchSize, padId: padId),
            PairLogProbs(of: eval, under: reference, batchSize: config.batchSize, padId: padId)
        )
        cachedReference = computed
        return computed
    }

    /// The current policy's metrics on the held-out pairs (nil when there are none), without a tape.
    public func evaluate() -> DPOMetrics? {
        guard !eval.isEmpty else { return nil }
        let reference = referenceLogProbs().eval
        let policyLogProbs = PairLogProbs(of: eval, under: policy, batchSize: config.batchSize, padId: padId)
        let all = Array(eval.indices)
        return withNoGrad { DPOMetrics(loss(policy: policyLogProbs.tensors(all), reference: reference.tensors(all))) }
    }

    /// Tensor parallelism (nil: none); the model given to the trainer is then already this rank's shard.
    public var tensorParallel: TensorParallelTraining<TransformerLM>?

    /// Trains to `config.steps`, resuming from the latest checkpoint in `output` when `resume` is set. Returns the
    /// final checkpoint (its `modelDirectory` holds the policy).
    @discardableResult
    public func run(resume: Bool = true) throws -> TrainingCheckpoint {
        let reference = referenceLogProbs().train
        var loop = TrainingLoop<TransformerLM>(
            settings: config.loop, output: output, exampleCount: train.count,
            throughput: ("pairs_per_s", "pairs/s"),
            progressKeys: ["reward_accuracy", "reward_margin", "eval_reward_margin"])
        loop.showProgress = showProgress
        tensorParallel?.configure(&loop)
        loop.fingerprint = DataParallel.fingerprint(
            config: config, data: (train + eval).flatMap { [$0.prompt, $0.chosen, $0.rejected] })
        let (trained, checkpoint) = try loop.run(
            policy, resume: resume, load: { [policy] in try $0.loadModel(resuming: policy) },
            forward: { [train, padId, config] model, indices in
                let batch = DPOBatch(indices.map { train[$0] }, padId: padId)
                let logProbs = batch.logProbs(under: model)
                let result = self.loss(
                    policy: (logProbs.chosen, logProbs.rejected), reference: reference.tensors(indices))
                // A token mean within the micro-batch; under data parallelism the ranks' terms are weighted by pairs
                // like the DPO loss, so with sftCoefficient > 0 the sum over ranks is close to, not exactly, the
                // one-rank value.
                let nll = batch.chosenNegativeLogLikelihood(tokens: logProbs.tokens)
                let total = config.sftCoefficient > 0 ? result.loss + nll * config.sftCoefficient : result.loss
                var statistics = DPOMetrics(result).named()
                statistics["sft_loss"] = Double(nll.item())
                statistics["chosen_logp"] = Double(logProbs.chosen.mean().item())
                statistics["rejected_logp"] = Double(logProbs.rejected.mean().item())
                return MicroBatchLoss(loss: total, items: batch.pairCount, statistics: statistics)
            },
            evaluate: { model in
                self.policy = model
                return self.evaluate()?.named(prefix: "eval_") ?? [:]
            })
        policy = trained
        return checkpoint
    }

    private func loss(policy: (chosen: Tensor, rejected: Tensor), reference: (chosen: Tensor, rejected: Tensor))
        -> DPOLossResult
    {
        dpoLoss(
            policyChosenLogProbs: policy.chosen, policyRejectedLogProbs: policy.rejected,
            referenceChosenLogProbs: reference.chosen, referenceRejectedLogProbs: reference.rejected,
            beta: config.beta, type: config.lossType, labelSmoothing: config.labelSmoothing)
    }

    /// Every part non-empty, every id in the vocabulary, every sequence within the model's positions.
    private static func check(_ pairs: [DPOPair], _ role: String, model: ModelConfig) throws {
        for (i, pair) in pairs.enumerated() {
            func fail(_ problem: String) -> TrainingError { .invalidData("\(role) pair \(i + 1): \(problem)") }
            if pair.prompt.isEmpty || pair.chosen.isEmpty || pair.rejected.isEmpty {
                throw fail("empty prompt or response")
            }
            if let bad = (pair.prompt + pair.chosen + pair.rejected).first(where: { $0 < 0 || $0 >= model.vocabSize }) {
                throw fail("token id \(bad) is outside the model's vocabulary of \(model.vocabSize)")
            }
            if pair.longestSequence > model.maxPositions {
                throw fail(
                    "\(pair.longestSequence) tokens exceed the model's \(model.maxPositions) positions; lower maxLength"
                )
            }
        }
    }
}
