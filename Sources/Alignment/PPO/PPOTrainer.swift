import Foundation
import LanguageModels
import TensorEngine

/// PPO with the ChatGLM-RLHF stabilisers (§3): an actor (the policy), a critic (value head), a frozen reference
/// (the SFT model) and a frozen reward. Per iteration: the actor answers a batch of prompts through the KV-cache
/// generator; the responses are scored and turned into per-token rewards (score at the last token, after the
/// reference baseline, minus β·KL to the reference); GAE gives advantages and returns; then `ppoEpochs` passes of
/// minibatches update the actor (clipped policy loss, plus γ·next-token loss on SFT data when PTX is on) and the
/// critic (clipped value loss), each with its own AdamW.
///
/// The maths lives in `Objectives/`; this type only orchestrates, checkpoints (exact resume) and logs.
public final class PPOTrainer {
    /// The settings.
    public let config: PPOConfig
    /// The policy being trained.
    public private(set) var actor: TransformerLM
    /// The value model being trained.
    public private(set) var critic: ValueModel
    /// The frozen reference policy.
    public let reference: TransformerLM
    /// The frozen reward.
    public let reward: any SequenceScorer
    /// Prompt token ids.
    public let prompts: [[Int]]
    /// SFT examples for the PTX loss (empty: PTX off).
    public let ptxExamples: [TokenizedExample]
    /// Longest PTX example in tokens.
    public let ptxMaxLength: Int
    /// Where checkpoints and `metrics.jsonl` go (nil: neither, for experiments in tests).
    public let output: URL?
    /// Tokens that end a response besides the model's EOS (a chat format's end-of-turn token).
    public let stopTokenIds: [Int]
    /// Whether to print progress lines.
    public var showProgress = true
    private let padId: Int
    private let eosTokenIds: [Int]

    /// A trainer; `critic` is typically `ValueModel(copying: rewardModel)` or `ValueModel(copying: sft, seed:)`.
    public init(
        config: PPOConfig, actor: TransformerLM, critic: ValueModel, reference: TransformerLM,
        reward: any SequenceScorer, prompts: [[Int]], ptxExamples: [TokenizedExample] = [],
        ptxMaxLength: Int = 512, stopTokenIds: [Int] = [], output: URL?
    ) throws {
        if let problem = config.problem { throw TrainingError.invalidConfig(problem) }
        if prompts.isEmpty { throw TrainingError.invalidData("no prompts") }
        if let empty = prompts.firstIndex(where: \.isEmpty) {
            throw TrainingError.invalidData("prompt \(empty) is empty")
        }
        if config.ptxCoefficient > 0 && ptxExamples.isEmpty {
            throw TrainingError.invalidData(
                "ptxCoefficient is \(config.ptxCoefficient) but no SFT data was given for PTX")
        }
        if actor.config.vocabSize != reference.config.vocabSize {
            throw TrainingError.invalidData("actor and reference have different vocabularies")
        }
        try PolicyModelRoles.checkDistinct(actor: actor, reference: reference, critic: critic)
        self.config = config
        self.actor = actor
        self.critic = critic
        self.reference = reference
        self.reward = reward
        self.prompts = prompts
        self.ptxExamples = ptxExamples
        self.ptxMaxLength = ptxMaxLength
        self.output = output
        self.stopTokenIds = stopTokenIds
        padId = actor.config.padTokenId ?? actor.config.eosTokenIds.first ?? 0
        eosTokenIds = actor.config.eosTokenIds
    }

    /// Runs to `config.iterations`, resuming from the latest checkpoint in `output` when `resume` is set. Returns
    /// the metrics of the iterations run by this call.
    @discardableResult
    public func run(resume: Bool = true) throws -> [[String: Double]] {
        reference.setTrainable(false)
        var state: PolicyCheckpoint.State
        var lastCheckpoint: PolicyCheckpoint? = nil
        var actorOptimizer: AdamW, criticOptimizer: AdamW
        if resume, let output, let checkpoint = PolicyCheckpoint.latest(in: output) {
            actor = try checkpoint.loadActor(resuming: actor)
            critic = try checkpoint.loadCritic(resuming: critic)
            (actorOptimizer, criticOptimizer) = makeOptimizers()
            try checkpoint.restore(actor: actorOptimizer, critic: criticOptimizer)
            state = try checkpoint.loadState()
            if state.baselineScores.map({ $0.count != prompts.count }) ?? false
                || state.activePrompts.contains(where: { $0 >= prompts.count })
            {
                throw TrainingError.checkpoint(
                    path: checkpoint.directory.path,
                    problem:
                        "was made on other prompts; resume with the same data or pass --no-resume")
            }
            lastCheckpoint = checkpoint
        } else {
            (actorOptimizer, criticOptimizer) = makeOptimizers()
            state = try initialState()
        }
        actor.setTrainable(true)
        actor.checkpointsActivations = config.activationCheckpointing
        critic.checkpointsActivations = config.activationCheckpointing
        critic.setTrainable(true)
        let log = try PolicyRunLog(
            output: output, total: config.iterations, first: state.iteration,
            showProgress: showProgress && config.logEvery > 0)
        var history: [[String: Double]] = []
        while state.iteration < config.iterations {
            let record = try iterate(
                &state, actorOptimizer: actorOptimizer, criticOptimizer: criticOptimizer,
                lastCheckpoint: lastCheckpoint)
            history.append(record)
            let last = state.iteration == config.iterations
            log.record(record, iteration: state.iteration, every: config.logEvery, last: last)
            if let output, last || (config.saveEvery > 0 && state.iteration % config.saveEvery == 0) {
                lastCheckpoint = try PolicyCheckpoint.save(
                    actor: actor, critic: critic, actorOptimizer: actorOptimizer,
                    criticOptimizer: criticOptimizer, state: state, in: output)
            }
        }
        return history
    }

    // MARK: One iteration

    private func iterate(
        _ state: inout PolicyCheckpoint.State, actorOptimizer: AdamW, criticOptimizer: AdamW,
        lastCheckpoint: PolicyCheckpoint?
    ) throws -> [String: Double] {
        var generator = RandomGenerator(state: state.generator)
        defer { state.generator = generator.state }
        let started = Date()
        let rows = state.cursor.next(config.promptsPerIteration).map { state.activePrompts[$0] }
        let rollout = actor.generate(
            prompts: rows.map { prompts[$0] }, config: generationConfig(seed: generator.next()))
        let generated = Date()
        let batch = ResponseBatch(prompts: rows.map { prompts[$0] }, responses: rollout.tokens, padId: padId)
        let experience = PPOExperience.collect(
            batch: batch, rollout: rollout, promptIndices: rows, actor: actor, reference: reference, critic: critic,
            reward: reward, baselineScores: state.baselineScores, klCoefficient: state.klController.coefficient,
            config: config)
        let scored = Date()

        var sums: [String: Double] = [:]
        var updates = 0
        for _ in 0..<config.ppoEpochs {
            let order = DataCursor(count: batch.count, seed: generator.next()).order(epoch: 0)
            for start in stride(from: 0, to: order.count, by: config.minibatchSize) {
                let minibatch = experience.selecting(
                    Array(order[start..<min(start + config.minibatchSize, order.count)]))
                guard minibatch.batch.responseTokens > 0 else { continue }
                let step = try update(
                    minibatch, state: &state, actorOptimizer: actorOptimizer,
                    criticOptimizer: criticOptimizer, lastCheckpoint: lastCheckpoint)
                for (key, value) in step { sums[key, default: 0] += value }
                updates += 1
            }
        }
        state.klController.update(currentKL: Float(experience.statistics["kl"] ?? 0), steps: batch.count)
        state.iteration += 1
        let finished = Date()

        var record = experience.statistics
        for (key, value) in sums { record[key] = value / Double(max(updates, 1)) }
        record["kl_coefficient"] = Double(state.klController.coefficient)
        let clock = IterationClock(started: started, generated: generated, scored: scored, finished: finished)
        record.merge(clock.metrics(generatedTokens: batch.responseTokens)) { $1 }
        return record
    }

    /// One optimizer step of the actor and one of the critic on a minibatch; returns its statistics.
    private func update(
        _ minibatch: PPOExperience, state: inout PolicyCheckpoint.State, actorOptimizer: AdamW,
        criticOptimizer: AdamW, lastCheckpoint: PolicyCheckpoint?
    ) throws -> [String: Double] {
        let mask = minibatch.batch.responseMask
        func guardFinite(_ value: Float, _ what: String) throws {
            if !value.isFinite {
                throw TrainingError.nonFinite(
                    what: what, step: state.iteration, lastCheckpoint: lastCheckpoint?.directory.path)
            }
        }
        var statistics: [String: Double] = [:]

        actorOptimizer.zeroGrad()
        // The policy loss and the PTX loss backpropagate one after the other into the same gradients: their sum's
        // gradient, without both graphs alive at once (the PTX batch's full-vocabulary logits and activations were
        // the real-model run's memory peak).
        let policy = ppoPolicyLoss(
            logProbs: actor.nextTokenLogProbs(minibatch.batch, temperature: config.sampling.temperature).logProbs,
            oldLogProbs: minibatch.oldLogProbs, advantages: minibatch.advantages, mask: mask,
            clipRange: config.clipRange)
        try guardFinite(policy.loss.item(), "actor loss")
        policy.loss.backward()
        if config.ptxCoefficient > 0 {
            let ptx = ptxLoss(&state)
            try guardFinite(ptx.item(), "PTX loss")
            statistics["ptx_loss"] = Double(ptx.item())
            (ptx * config.ptxCoefficient).backward()
        }
        let actorNorm = clipGradNorm(
            actor.trainableParameters, maxNorm: config.clipGradientNorm > 0 ? config.clipGradientNorm : .infinity)
        try guardFinite(actorNorm, "actor gradient norm")
        actorOptimizer.step()

        criticOptimizer.zeroGrad()
        let values = critic.values(minibatch.batch)
        let value = ppoValueLoss(
            values: values, oldValues: minibatch.oldValues, returns: minibatch.returns, mask: mask,
            clipRange: config.valueClipRange)
        try guardFinite(value.loss.item(), "value loss")
        value.loss.backward()
        let criticNorm = clipGradNorm(
            critic.trainableParameters, maxNorm: config.clipGradientNorm > 0 ? config.clipGradientNorm : .infinity)
        try guardFinite(criticNorm, "critic gradient norm")
        criticOptimizer.step()

        statistics["policy_loss"] = Double(policy.loss.item())
        statistics["clip_fraction"] = Double(policy.clipFraction)
        statistics["approx_kl"] = Double(policy.approximateKL)
        statistics["value_loss"] = Double(value.loss.item())
        statistics["value_clip_fraction"] = Double(value.clipFraction)
        statistics["actor_grad_norm"] = Double(actorNorm)
        statistics["critic_grad_norm"] = Double(criticNorm)
        return statistics
    }

    /// The next-token loss of the actor on the next batch of SFT examples (PTX).
    private func ptxLoss(_ state: inout PolicyCheckpoint.State) -> Tensor {
        var cursor = state.ptxCursor ?? DataCursor(count: ptxExamples.count, seed: config.seed &+ 1)
        defer { state.ptxCursor = cursor }
        let examples = cursor.next(config.ptxBatchSize).map { ptxExamples[$0] }
        let batch = LanguageModelingBatch(examples, maxLength: ptxMaxLength, padId: padId)
        return crossEntropy(actor(batch.inputs), targets: batch.targets)
    }

    // MARK: Before the first iteration

    /// Prompt filtering and the reference baseline, computed once (and saved in every checkpoint).
    private func initialState() throws -> PolicyCheckpoint.State {
        var generator = RandomGenerator(seed: config.seed)
        var active = Array(prompts.indices)
        if config.promptFilterSamples > 1 {
            // k samples per prompt from the initial policy; prompts whose scores barely vary teach nothing.
            let k = config.promptFilterSamples
            let repeated = prompts.flatMap { Array(repeating: $0, count: k) }
            let scores = scoreAnswers(of: actor, to: repeated, seed: generator.next())
            active = prompts.indices.filter { p in
                let s = scores[(p * k)..<((p + 1) * k)].map(Double.init)
                let m = s.reduce(0, +) / Double(k)
                return s.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(k - 1)
                    >= Double(config.promptFilterMinVariance)
            }
            if active.isEmpty {
                throw TrainingError.invalidData(
                    "prompt filtering dropped every prompt (reward variance below \(config.promptFilterMinVariance))")
            }
        }
        var baseline: [Float]? = nil
        if config.referenceBaseline {
            let k = config.referenceBaselineSamples
            let repeated = prompts.flatMap { Array(repeating: $0, count: k) }
            let scores = scoreAnswers(of: reference, to: repeated, seed: generator.next())
            baseline = prompts.indices.map { p in scores[(p * k)..<((p + 1) * k)].reduce(0, +) / Float(k) }
        }
        let kl: KLController =
            config.klTarget.map {
                .adaptive(initialCoefficient: config.klCoefficient, target: $0, horizon: config.klHorizon)
            } ?? .fixed(coefficient: config.klCoefficient)
        return PolicyCheckpoint.State(
            iteration: 0, cursor: DataCursor(count: active.count, seed: config.seed),
            ptxCursor: nil, generator: generator.state, klController: kl,
            baselineScores: baseline, activePrompts: active)
    }

    /// The scores of `model`'s answers to `prompts`, generated in rollout-sized batches, after the missing-EOS
    /// penalty (so the reference baseline is measured like the rollouts it is subtracted from).
    private func scoreAnswers(of model: TransformerLM, to prompts: [[Int]], seed: UInt64) -> [Float] {
        var answers: [[Int]] = [], finished: [Bool] = []
        for (i, start) in stride(from: 0, to: prompts.count, by: config.promptsPerIteration).enumerated() {
            let chunk = Array(prompts[start..<min(start + config.promptsPerIteration, prompts.count)])
            let result = model.generate(prompts: chunk, config: generationConfig(seed: seed &+ UInt64(i)))
            answers += result.tokens
            finished += result.finished
        }
        return penalisingMissingEOS(
            scores: reward.scores(prompts: prompts, responses: answers), finished: finished,
            penalty: config.missingEOSPenalty)
    }

    private func generationConfig(seed: UInt64) -> GenerationConfig {
        var sampling = config.sampling
        (sampling.eosTokenIds, sampling.stopTokenIds, sampling.seed) = (eosTokenIds, stopTokenIds, seed)
        return sampling
    }

    private func makeOptimizers() -> (AdamW, AdamW) {
        (
            AdamW(
                parameters: actor.trainableParameters, learningRate: config.actorLearningRate,
                weightDecay: config.weightDecay),
            AdamW(
                parameters: critic.trainableParameters, learningRate: config.criticLearningRate,
                weightDecay: config.weightDecay)
        )
    }
}
