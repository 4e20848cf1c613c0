import Collectives
import Foundation
import LanguageModels
import TensorEngine

/// GRPO (DeepSeekMath): no critic. Each iteration answers every prompt `groupSize` times with the KV-cache
/// generator, scores the responses, and gives every token of a response its group-normalised reward as advantage;
/// minibatch updates minimise the clipped policy loss plus β·KL(actor ‖ reference) as a loss term.
///
/// The maths lives in `Objectives/`; this type only orchestrates, checkpoints (exact resume) and logs. Launched with
/// `mpirun -np N`, it is data-parallel as PPO is (`RolloutParallel`).
public final class GRPOTrainer {
    /// The settings.
    public let config: GRPOConfig
    /// The policy being trained.
    public private(set) var actor: TransformerLM
    /// The frozen reference policy.
    public let reference: TransformerLM
    /// The reward.
    public let reward: any SequenceScorer
    /// Prompt token ids.
    public let prompts: [[Int]]
    /// Where checkpoints and `metrics.jsonl` go (nil: neither).
    public let output: URL?
    /// Tokens that end a response besides the model's EOS (a chat format's end-of-turn token).
    public let stopTokenIds: [Int]
    /// Whether to print progress lines.
    public var showProgress = true
    /// The ranks the run is spread over (default: `Collectives.world`, one process unless launched by mpirun).
    public var communicator: any Communicator = Collectives.world
    /// Tensor parallelism (nil: none): every rank of the run, `communicator` being then this rank's data-parallel
    /// group, and how a whole actor resumed from a checkpoint becomes this rank's shard. The models given to the
    /// trainer are already shards; checkpoints hold the whole actor.
    public var tensorParallel: (world: any Communicator, shardActor: (TransformerLM) throws -> TransformerLM)?
    private let padId: Int

    /// A trainer starting from `actor` (usually a copy of the SFT model that is also the reference).
    public init(
        config: GRPOConfig, actor: TransformerLM, reference: TransformerLM, reward: any SequenceScorer,
        prompts: [[Int]], stopTokenIds: [Int] = [], output: URL?
    ) throws {
        if let problem = config.problem { throw TrainingError.invalidConfig(problem) }
        if prompts.isEmpty { throw TrainingError.invalidData("no prompts") }
        if let empty = prompts.firstIndex(where: \.isEmpty) {
            throw TrainingError.invalidData("prompt \(empty) is empty")
        }
        if actor.config.vocabSize != reference.config.vocabSize {
            throw TrainingError.invalidData("actor and reference have different vocabularies")
        }
        try PolicyModelRoles.checkDistinct(actor: actor, reference: reference)
        self.config = config
        self.actor = actor
        self.reference = reference
        self.reward = reward
        self.prompts = prompts
        self.output = output
        self.stopTokenIds = stopTokenIds
        padId = actor.config.padTokenId ?? actor.config.eosTokenIds.first ?? 0
    }

    /// Runs to `config.iterations`, resuming from the latest checkpoint in `output` when `resume` is set. Returns
    /// the metrics of the iterations run by this call.
    @discardableResult
    public func run(resume: Bool = true) throws -> [[String: Double]] {
        let parallel = RolloutParallel(communicator: communicator, world: tensorParallel?.world)
        if let problem = parallel.shardProblem(
            rows: config.promptsPerIteration * config.groupSize, what: "promptsPerIteration × groupSize")
            ?? parallel.shardProblem(rows: config.minibatchSize, what: "minibatchSize")
        {
            throw parallel.everyone.agreedFailure(problem)
        }
        try parallel.everyone.checkSettings(
            parallel.fingerprint(config: config, data: prompts, output: output, resume: resume))
        reference.setTrainable(false)
        var state: PolicyCheckpoint.State
        var lastCheckpoint: PolicyCheckpoint? = nil
        let optimizer: AdamW
        if resume, let output, let checkpoint = PolicyCheckpoint.latest(in: output) {
            actor = try checkpoint.loadActor(resuming: actor)
            if let tensorParallel { actor = try tensorParallel.shardActor(actor) }
            optimizer = makeOptimizer()
            try checkpoint.restore(actor: optimizer, critic: nil, actorTransform: actor.shardedOptimizerState)
            state = try checkpoint.loadState()
            if state.activePrompts.count != prompts.count {
                throw TrainingError.checkpoint(
                    path: checkpoint.directory.path,
                    problem:
                        "was made on \(state.activePrompts.count) prompts, this run has \(prompts.count); resume with the same data or pass --no-resume"
                )
            }
            lastCheckpoint = checkpoint
        } else {
            optimizer = makeOptimizer()
            state = PolicyCheckpoint.State(
                iteration: 0, cursor: DataCursor(count: prompts.count, seed: config.seed),
                ptxCursor: nil, generator: RandomGenerator(seed: config.seed).state,
                klController: .fixed(coefficient: config.klCoefficient),
                baselineScores: nil, activePrompts: Array(prompts.indices))
        }
        actor.setTrainable(true)
        actor.checkpointsActivations = config.activationCheckpointing
        actor.recomputesActivations = config.recomputeActivations
        try parallel.parallel.checkWeights(
            actor.trainableParameters, when: "at the start (iteration \(state.iteration))")
        let log = try PolicyRunLog(
            output: parallel.isRoot ? output : nil, total: config.iterations, first: state.iteration,
            showProgress: showProgress && config.logEvery > 0 && parallel.isRoot)
        let gradients = parallel.gradientBuffer(actor.trainableParameters)
        var history: [[String: Double]] = []
        while state.iteration < config.iterations {
            let record = try iterate(
                &state, optimizer: optimizer, gradients: gradients, parallel: parallel, lastCheckpoint: lastCheckpoint)
            history.append(record)
            let last = state.iteration == config.iterations
            log.record(record, iteration: state.iteration, every: config.logEvery, last: last)
            try parallel.parallel.checkWeights(actor.trainableParameters, when: "after iteration \(state.iteration)")
            if let output, last || (config.saveEvery > 0 && state.iteration % config.saveEvery == 0) {
                // Shards gather the whole actor and optimizer state first (every rank of a group takes part).
                let (wholeActor, optimizerState) = actor.checkpointParts(optimizer)
                lastCheckpoint = try parallel.rootWrites(last: last, label: "checkpoint \(state.iteration)") {
                    try PolicyCheckpoint.save(
                        actor: wholeActor, critic: nil, actorOptimizer: optimizerState, criticOptimizer: nil,
                        state: state, in: output)
                } fallback: {
                    PolicyCheckpoint(directory: CheckpointDirectory.url(in: output, number: state.iteration))
                }
            }
        }
        return history
    }

    private func iterate(
        _ state: inout PolicyCheckpoint.State, optimizer: AdamW, gradients: GradientBuffer?,
        parallel: RolloutParallel, lastCheckpoint: PolicyCheckpoint?
    ) throws -> [String: Double] {
        var generator = RandomGenerator(state: state.generator)
        defer { state.generator = generator.state }
        let started = Date(), communicated = Collectives.tally
        let g = config.groupSize
        let chosen = state.cursor.next(config.promptsPerIteration)
        let rowPrompts = chosen.flatMap { Array(repeating: prompts[$0], count: g) }
        // This rank's rows (a group may span two ranks): generated and scored here, then every rank gets them all.
        let local = parallel.localRange(rowPrompts.count)
        var sampling = config.sampling
        (sampling.eosTokenIds, sampling.stopTokenIds) = (actor.config.eosTokenIds, stopTokenIds)
        sampling.rowSeeds = Array(GenerationConfig.rowSeeds(generator.next(), count: rowPrompts.count)[local])
        let localPrompts = Array(rowPrompts[local])
        let rollout = BFloat16Products.withRoundedDecoding { actor.generate(prompts: localPrompts, config: sampling) }
        let generated = Date()
        let localBatch = ResponseBatch(prompts: localPrompts, responses: rollout.tokens, padId: padId)
        let onPolicy = firstUpdateScoresTheActor(parallel)
        let localScores = RolloutScores(
            batch: localBatch, rollout: rollout, actor: actor, reference: reference,
            temperature: config.sampling.temperature, rescore: config.rescoreRollouts, actorScoredLater: onPolicy)
        var rows = parallel.gather(
            ScoredResponse.rows(
                batch: localBatch, rollout: rollout, scores: localScores, values: nil,
                rewards: reward.scores(prompts: localPrompts, responses: rollout.tokens)),
            label: "rollouts of iteration \(state.iteration + 1)")
        let batch = ResponseBatch(prompts: rowPrompts, responses: rows.map(\.response), padId: padId)
        // On-policy: the update's own forward, kept with its tape, scores the actor's old log-probabilities (as PPO's).
        let firstForward = onPolicy ? actor.nextTokenLogProbs(batch, temperature: config.sampling.temperature) : nil
        if let firstForward { rows = ScoredResponse.scored(rows, by: firstForward, batch: batch) }
        let (old, referenceLogProbs) = (
            RolloutScores.placed(rows.map(\.logProbs), batch: batch),
            RolloutScores.placed(rows.map(\.referenceLogProbs), batch: batch)
        )
        let scores = rows.map(\.score)
        let finishedRows = rows.map(\.finished)
        let adjusted = penalisingMissingEOS(scores: scores, finished: finishedRows, penalty: config.missingEOSPenalty)
        let advantages = withNoGrad { () -> Tensor in
            let perResponse = grpoAdvantages(
                rewards: Tensor(shape: [chosen.count, g], scalars: adjusted),
                scaleByStd: config.scaleAdvantagesByStd
            ).reshaped([batch.count, 1])
            // Every token of a response shares its response's advantage.
            return perResponse * Tensor.ones(batch.responseMask.shape)
        }
        let scored = Date()
        let tensors = RolloutTensors(
            batch: batch, oldLogProbs: old, referenceLogProbs: referenceLogProbs, advantages: advantages)

        var sums: [String: Double] = [:]
        var updates = 0
        for _ in 0..<config.epochs {
            let shuffled = DataCursor(count: batch.count, seed: generator.next()).order(epoch: 0)
            // The on-policy step takes the rows in the order its forward scored them: one minibatch, any order.
            let order = onPolicy ? Array(0..<batch.count) : shuffled
            for start in stride(from: 0, to: order.count, by: config.minibatchSize) {
                let minibatch = Array(order[start..<min(start + config.minibatchSize, order.count)])
                let tokens = { (row: Int) in batch.responses[row].count }
                guard minibatch.contains(where: { tokens($0) > 0 }) else { continue }
                let (mine, share) = parallel.shard(minibatch, tokens: tokens)
                let statistics = try update(
                    share > 0 ? mine : nil, of: tensors, share: share, optimizer: optimizer, gradients: gradients,
                    parallel: parallel, iteration: state.iteration, lastCheckpoint: lastCheckpoint,
                    actorLogProbs: firstForward?.logProbs)
                for (key, v) in statistics { sums[key, default: 0] += v }
                updates += 1
            }
        }
        state.iteration += 1
        let finished = Date()
        var record = sums.mapValues { $0 / Double(max(updates, 1)) }
        let raw = scores.map(Double.init)
        // The names PPO logs, where they apply.
        record["reward"] = RewardStatistics.mean(raw) ?? 0
        record["reward_adjusted"] = RewardStatistics.mean(adjusted.map(Double.init)) ?? 0
        record["reward_std"] = RewardStatistics.standardDeviation(raw) ?? 0
        record["kl"] = meanResponseKL(
            logProbs: old, referenceLogProbs: referenceLogProbs, responseMask: batch.responseMask)
        record["kl_coefficient"] = Double(config.klCoefficient)
        record["entropy"] = RolloutScores.meanEntropy(rows.map(\.entropies))
        if let gap = PPOExperience.samplerGap(rows) { record["sampler_logprob_gap"] = gap }
        record["response_length"] = Double(batch.responseTokens) / Double(batch.count)
        record["truncated_fraction"] = truncatedFraction(finishedRows)
        let clock = IterationClock(started: started, generated: generated, scored: scored, finished: finished)
        record.merge(clock.metrics(generatedTokens: batch.responseTokens)) { $1 }
        record.merge(parallel.metrics(since: communicated)) { $1 }
        return record
    }

    /// Whether the iteration's one update is on-policy and scores the actor itself (`OnPolicyStep`): one epoch, one
    /// minibatch.
    private func firstUpdateScoresTheActor(_ parallel: RolloutParallel) -> Bool {
        Self.firstUpdateScoresTheActor(
            config, actorNeedsRescoring: RolloutScores.roundsActivations(actor),
            oneProcess: parallel.size == 1 && tensorParallel == nil)
    }

    static func firstUpdateScoresTheActor(_ config: GRPOConfig, actorNeedsRescoring: Bool, oneProcess: Bool) -> Bool {
        OnPolicyStep.scoresTheActor(
            actorNeedsRescoring: actorNeedsRescoring, oneProcess: oneProcess, rescoreAsked: config.rescoreRollouts,
            epochs: config.epochs, minibatchSize: config.minibatchSize,
            rows: config.promptsPerIteration * config.groupSize)
    }

    /// An iteration's batch and its per-token tensors [B, T − 1], which the minibatches select rows of.
    private struct RolloutTensors {
        let batch: ResponseBatch
        let oldLogProbs: Tensor, referenceLogProbs: Tensor, advantages: Tensor
    }

    /// One optimizer step on a minibatch, of which this rank computes the rows `mine` (nil: none of its response
    /// tokens), weighted by its `share`; returns the step's statistics, the same on every rank.
    private func update(
        _ mine: [Int]?, of rollout: RolloutTensors, share: Double, optimizer: AdamW, gradients: GradientBuffer?,
        parallel: RolloutParallel, iteration: Int, lastCheckpoint: PolicyCheckpoint?, actorLogProbs: Tensor? = nil
    ) throws -> [String: Double] {
        // Every rank logs every key (zero for no rows), weighted by its share: the sums are the means.
        var local: [String: Double] = ["loss": 0, "policy_loss": 0, "kl_loss": 0, "clip_fraction": 0, "approx_kl": 0]
        if let gradients { gradients.attach() } else { optimizer.zeroGrad() }
        if let mine {
            let rows = rollout.batch.selecting(mine)
            let mask = rows.responseMask
            // `actorLogProbs`: the on-policy step's forward, already run on these rows (all of them, in order).
            let logProbs =
                actorLogProbs ?? actor.nextTokenLogProbs(rows, temperature: config.sampling.temperature).logProbs
            let policy = ppoPolicyLoss(
                logProbs: logProbs, oldLogProbs: rollout.oldLogProbs.indexSelect(axis: 0, mine),
                advantages: rollout.advantages.indexSelect(axis: 0, mine), mask: mask, clipRange: config.clipRange)
            let kl = maskedMean(
                config.klEstimator.estimate(
                    logProbs: logProbs, referenceLogProbs: rollout.referenceLogProbs.indexSelect(axis: 0, mine)),
                mask: mask)
            let loss = policy.loss + kl * config.klCoefficient
            (loss * Float(share)).backward()
            for (key, v) in [
                ("loss", loss.item()), ("policy_loss", policy.loss.item()), ("kl_loss", kl.item()),
                ("clip_fraction", policy.clipFraction), ("approx_kl", policy.approximateKL),
            ] {
                local[key] = Double(v) * share
            }
        }
        gradients?.allReduce(communicator, step: iteration + 1)
        // From here on every value is the same on every rank: they stop together or step together.
        var statistics = parallel.sum(local, label: "minibatch of iteration \(iteration + 1)")
        if !statistics["loss"]!.isFinite {
            throw parallel.agreed(
                .nonFinite(what: "loss", step: iteration, lastCheckpoint: lastCheckpoint?.directory.path))
        }
        let maxNorm = config.clipGradientNorm > 0 ? config.clipGradientNorm : Float.infinity
        let norm = actor.clipGradientNorm(maxNorm: maxNorm, label: "gradient norm at iteration \(iteration + 1)")
        if !norm.isFinite {
            throw parallel.agreed(
                .nonFinite(what: "gradient norm", step: iteration, lastCheckpoint: lastCheckpoint?.directory.path))
        }
        optimizer.step()
        statistics["actor_grad_norm"] = Double(norm)
        return statistics
    }

    private func makeOptimizer() -> AdamW {
        AdamW(parameters: actor.trainableParameters, learningRate: config.learningRate, weightDecay: config.weightDecay)
    }
}
