import Collectives
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
/// The maths lives in `Objectives/`; this type only orchestrates, checkpoints (exact resume) and logs. Launched with
/// `mpirun -np N`, it is data-parallel (`RolloutParallel`): each rank generates and scores its share of every batch
/// and trains on its share of every minibatch, and the run follows the one-process run of the same seed.
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
    /// The ranks the run is spread over (default: `Collectives.world`, one process unless launched by mpirun).
    public var communicator: any Communicator = Collectives.world
    /// Tensor parallelism (nil: none): every rank of the run, `communicator` being then this rank's data-parallel
    /// group, and how a whole actor and critic resumed from a checkpoint become this rank's shards. The models given
    /// to the trainer are already shards; checkpoints hold the whole models.
    public var tensorParallel:
        (
            world: any Communicator, shardActor: (TransformerLM) throws -> TransformerLM,
            shardCritic: (ValueModel) throws -> ValueModel
        )?
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
        let parallel = RolloutParallel(communicator: communicator, world: tensorParallel?.world)
        if let problem = parallel.shardProblem(rows: config.promptsPerIteration, what: "promptsPerIteration")
            ?? parallel.shardProblem(rows: config.minibatchSize, what: "minibatchSize")
        {
            throw parallel.everyone.agreedFailure(problem)
        }
        try parallel.everyone.checkSettings(
            parallel.fingerprint(
                config: config, data: prompts + ptxExamples.map(\.ids), output: output, resume: resume))
        reference.setTrainable(false)
        var state: PolicyCheckpoint.State
        var lastCheckpoint: PolicyCheckpoint? = nil
        var actorOptimizer: AdamW, criticOptimizer: AdamW
        if resume, let output, let checkpoint = PolicyCheckpoint.latest(in: output) {
            actor = try checkpoint.loadActor(resuming: actor)
            critic = try checkpoint.loadCritic(resuming: critic)
            if let tensorParallel {
                (actor, critic) = (try tensorParallel.shardActor(actor), try tensorParallel.shardCritic(critic))
            }
            (actorOptimizer, criticOptimizer) = makeOptimizers()
            try checkpoint.restore(
                actor: actorOptimizer, critic: criticOptimizer, actorTransform: actor.shardedOptimizerState,
                criticTransform: critic.shardedOptimizerState)
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
            state = try initialState(parallel)
        }
        actor.setTrainable(true)
        actor.checkpointsActivations = config.activationCheckpointing
        critic.checkpointsActivations = config.activationCheckpointing
        actor.recomputesActivations = config.recomputeActivations
        critic.recomputesActivations = config.recomputeActivations
        critic.setTrainable(true)
        let trained = actor.trainableParameters + critic.trainableParameters
        try parallel.parallel.checkWeights(trained, when: "at the start (iteration \(state.iteration))")
        let log = try PolicyRunLog(
            output: parallel.isRoot ? output : nil, total: config.iterations, first: state.iteration,
            showProgress: showProgress && config.logEvery > 0 && parallel.isRoot)
        let gradients = (
            actor: parallel.gradientBuffer(actor.trainableParameters),
            critic: parallel.gradientBuffer(critic.trainableParameters)
        )
        var history: [[String: Double]] = []
        while state.iteration < config.iterations {
            let record = try iterate(
                &state, actorOptimizer: actorOptimizer, criticOptimizer: criticOptimizer, gradients: gradients,
                parallel: parallel, lastCheckpoint: lastCheckpoint)
            history.append(record)
            let last = state.iteration == config.iterations
            log.record(record, iteration: state.iteration, every: config.logEvery, last: last)
            try parallel.parallel.checkWeights(trained, when: "after iteration \(state.iteration)")
            if let output, last || (config.saveEvery > 0 && state.iteration % config.saveEvery == 0) {
                // Shards gather the whole models and optimizer states first (every rank of a group takes part).
                let (wholeActor, actorState) = actor.checkpointParts(actorOptimizer)
                let (wholeCritic, criticState) = critic.checkpointParts(criticOptimizer)
                lastCheckpoint = try parallel.rootWrites(last: last, label: "checkpoint \(state.iteration)") {
                    try PolicyCheckpoint.save(
                        actor: wholeActor, critic: wholeCritic, actorOptimizer: actorState,
                        criticOptimizer: criticState, state: state, in: output)
                } fallback: {
                    PolicyCheckpoint(directory: CheckpointDirectory.url(in: output, number: state.iteration))
                }
            }
        }
        return history
    }

    // MARK: One iteration

    private typealias Gradients = (actor: GradientBuffer?, critic: GradientBuffer?)

    private func iterate(
        _ state: inout PolicyCheckpoint.State, actorOptimizer: AdamW, criticOptimizer: AdamW, gradients: Gradients,
        parallel: RolloutParallel, lastCheckpoint: PolicyCheckpoint?
    ) throws -> [String: Double] {
        var generator = RandomGenerator(state: state.generator)
        defer { state.generator = generator.state }
        let started = Date(), communicated = Collectives.tally
        let rows = state.cursor.next(config.promptsPerIteration).map { state.activePrompts[$0] }
        // This rank's rows: generated and scored here, then every rank gets the whole batch.
        let local = parallel.localRange(rows.count)
        let seeds = GenerationConfig.rowSeeds(generator.next(), count: rows.count)
        let localPrompts = rows[local].map { prompts[$0] }
        // Sampled with training's bf16 products (pair panels: half the decoding time of widened ones; RolloutScores).
        let rollout = BFloat16Products.withRoundedDecoding {
            actor.generate(prompts: localPrompts, config: generationConfig(rowSeeds: Array(seeds[local])))
        }
        let generated = Date()
        let onPolicy = firstUpdateScoresTheActor(parallel)
        let criticOnPolicy = firstUpdateScoresTheCritic(parallel)
        let scoredRows = PPOExperience.score(
            batch: ResponseBatch(prompts: localPrompts, responses: rollout.tokens, padId: padId), rollout: rollout,
            actor: actor, reference: reference, critic: critic, reward: reward, config: config,
            actorScoredLater: onPolicy, criticScoredLater: criticOnPolicy)
        let all = parallel.gather(scoredRows, label: "rollouts of iteration \(state.iteration + 1)")
        let batch = ResponseBatch(prompts: rows.map { prompts[$0] }, responses: all.map(\.response), padId: padId)
        // On-policy: the update's own forward, kept with its tape, scores the actor's old log-probabilities.
        let firstForward = onPolicy ? actor.nextTokenLogProbs(batch, temperature: config.sampling.temperature) : nil
        var scoredAll = firstForward.map { ScoredResponse.scored(all, by: $0, batch: batch) } ?? all
        // And the critic's update, run now, gives its old values.
        var criticStep: [String: Double]? = nil
        let criticStarted = Date()
        if criticOnPolicy {
            (scoredAll, criticStep) = criticFirstUpdate(
                scoredAll, batch: batch, promptIndices: rows, state: state, optimizer: criticOptimizer,
                gradients: gradients.critic, actorTapeAlive: firstForward != nil)
        }
        // Its forward scores, its backward trains: the metrics count the whole update as training.
        let criticSeconds = Date().timeIntervalSince(criticStarted)
        let experience = PPOExperience.assemble(
            batch: batch, rows: scoredAll, promptIndices: rows, baselineScores: state.baselineScores,
            klCoefficient: state.klController.coefficient, config: config)
        let scored = Date()

        var sums: [String: Double] = [:]
        var updates = 0
        for _ in 0..<config.ppoEpochs {
            let shuffled = DataCursor(count: batch.count, seed: generator.next()).order(epoch: 0)
            // The on-policy step takes the rows in the order its forward scored them: one minibatch, any order.
            let order = onPolicy ? Array(0..<batch.count) : shuffled
            for start in stride(from: 0, to: order.count, by: config.minibatchSize) {
                let minibatch = Array(order[start..<min(start + config.minibatchSize, order.count)])
                let tokens = { (row: Int) in batch.responses[row].count }
                guard minibatch.contains(where: { tokens($0) > 0 }) else { continue }
                let (mine, share) = parallel.shard(minibatch, tokens: tokens)
                let pieces = Self.microBatches(mine, share: share, size: config.microBatchSize, tokens: tokens)
                let step = try update(
                    pieces.map { (experience.selecting($0.rows), $0.share) }, state: &state,
                    actorOptimizer: actorOptimizer, criticOptimizer: criticOptimizer, gradients: gradients,
                    parallel: parallel, lastCheckpoint: lastCheckpoint, actorLogProbs: firstForward?.logProbs,
                    criticStep: criticStep)
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
        let clock = IterationClock(
            started: started, generated: generated, scored: scored, finished: finished,
            trainedWhileScoring: criticOnPolicy ? criticSeconds : 0)
        record.merge(clock.metrics(generatedTokens: batch.responseTokens)) { $1 }
        record.merge(parallel.metrics(since: communicated)) { $1 }
        return record
    }

    /// One optimizer step of the actor and one of the critic on a minibatch, of which this rank computes `pieces`
    /// (none: none of its response tokens), each weighted by its share; the gradients of the pieces add up before the
    /// step. `criticStep`: the critic's gradients are already in place (`criticFirstUpdate`), with these statistics.
    /// Returns the step's statistics.
    private func update(
        _ pieces: [(experience: PPOExperience, share: Double)], state: inout PolicyCheckpoint.State,
        actorOptimizer: AdamW,
        criticOptimizer: AdamW, gradients: Gradients, parallel: RolloutParallel, lastCheckpoint: PolicyCheckpoint?,
        actorLogProbs: Tensor? = nil, criticStep: [String: Double]? = nil
    ) throws -> [String: Double] {
        let label = "minibatch of iteration \(state.iteration + 1)"
        // Every rank logs every key (zero for no rows), weighted by its share: their sums are the minibatch's means.
        var local: [String: Double] = [
            "policy_loss": 0, "clip_fraction": 0, "approx_kl": 0, "value_loss": 0, "value_clip_fraction": 0,
        ]
        if let gradients = gradients.actor { gradients.attach() } else { actorOptimizer.zeroGrad() }
        for (minibatch, share) in pieces {
            // `actorLogProbs`: the on-policy step's forward, already run on this one piece (its rows in order).
            let policy = ppoPolicyLoss(
                logProbs: actorLogProbs
                    ?? actor.nextTokenLogProbs(minibatch.batch, temperature: config.sampling.temperature).logProbs,
                oldLogProbs: minibatch.oldLogProbs, advantages: minibatch.advantages,
                mask: minibatch.batch.responseMask, clipRange: config.clipRange)
            (policy.loss * Float(share)).backward()
            local["policy_loss", default: 0] += Double(policy.loss.item()) * share
            local["clip_fraction", default: 0] += Double(policy.clipFraction) * share
            local["approx_kl", default: 0] += Double(policy.approximateKL) * share
        }
        // The PTX loss backpropagates after the policy loss into the same gradients: their sum's gradient, without
        // both graphs alive at once (the PTX batch's full-vocabulary logits and activations were the real-model
        // run's memory peak).
        if config.ptxCoefficient > 0 {
            let (ptx, ptxShare) = ptxLoss(&state, parallel: parallel)
            local["ptx_loss"] = ptx.map { Double($0.item()) * ptxShare } ?? 0
            if let ptx { (ptx * (config.ptxCoefficient * Float(ptxShare))).backward() }
        }
        gradients.actor?.allReduce(communicator, step: state.iteration + 1)

        if let criticStep {
            local.merge(criticStep) { $1 }
        } else {
            if let gradients = gradients.critic { gradients.attach() } else { criticOptimizer.zeroGrad() }
            for (minibatch, share) in pieces {
                let value = ppoValueLoss(
                    values: critic.values(minibatch.batch), oldValues: minibatch.oldValues,
                    returns: minibatch.returns, mask: minibatch.batch.responseMask, clipRange: config.valueClipRange)
                (value.loss * Float(share)).backward()
                local["value_loss", default: 0] += Double(value.loss.item()) * share
                local["value_clip_fraction", default: 0] += Double(value.clipFraction) * share
            }
        }
        gradients.critic?.allReduce(communicator, step: state.iteration + 1)

        // From here on every value is the same on every rank, so every rank stops together or steps together.
        var statistics = parallel.sum(local, label: label)
        func guardFinite(_ value: Double, _ what: String) throws {
            if !value.isFinite {
                throw parallel.agreed(
                    .nonFinite(what: what, step: state.iteration, lastCheckpoint: lastCheckpoint?.directory.path))
            }
        }
        try guardFinite(statistics["policy_loss"]!, "actor loss")
        if let ptx = statistics["ptx_loss"] { try guardFinite(ptx, "PTX loss") }
        try guardFinite(statistics["value_loss"]!, "value loss")
        let maxNorm = config.clipGradientNorm > 0 ? config.clipGradientNorm : Float.infinity
        let normLabel = "gradient norm at iteration \(state.iteration + 1)"
        let actorNorm = actor.clipGradientNorm(maxNorm: maxNorm, label: normLabel)
        try guardFinite(Double(actorNorm), "actor gradient norm")
        actorOptimizer.step()
        let criticNorm = critic.clipGradientNorm(maxNorm: maxNorm, label: normLabel)
        try guardFinite(Double(criticNorm), "critic gradient norm")
        criticOptimizer.step()
        statistics["actor_grad_norm"] = Double(actorNorm)
        statistics["critic_grad_norm"] = Double(criticNorm)
        return statistics
    }

    /// The next-token loss of the actor on this rank's share of the next batch of SFT examples (PTX), nil when it has
    /// none, and its share of the batch's trained tokens.
    private func ptxLoss(_ state: inout PolicyCheckpoint.State, parallel: RolloutParallel) -> (Tensor?, Double) {
        var cursor = state.ptxCursor ?? DataCursor(count: ptxExamples.count, seed: config.seed &+ 1)
        defer { state.ptxCursor = cursor }
        let all = cursor.next(config.ptxBatchSize)
        let examples = all[parallel.localRange(all.count)].map { ptxExamples[$0] }
        let batch = examples.isEmpty ? nil : LanguageModelingBatch(examples, maxLength: ptxMaxLength, padId: padId)
        let share = parallel.parallel.share(of: Double(batch?.trainedTokens ?? 0), step: state.iteration + 1)
        guard let batch, share > 0 || parallel.size == 1 else { return (nil, share) }
        return (crossEntropy(actor(batch.inputs), targets: batch.targets), share)
    }

    /// The sampling settings with the model's end tokens and one seed per row.
    func generationConfig(rowSeeds: [UInt64]) -> GenerationConfig {
        var sampling = config.sampling
        (sampling.eosTokenIds, sampling.stopTokenIds, sampling.rowSeeds) = (eosTokenIds, stopTokenIds, rowSeeds)
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
