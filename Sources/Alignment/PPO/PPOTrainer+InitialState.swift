import LanguageModels
import TensorEngine

/// What PPO computes once before its first iteration and saves in every checkpoint.
extension PPOTrainer {
    /// Prompt filtering and the reference baseline, computed once (and saved in every checkpoint).
    func initialState(_ parallel: RolloutParallel) throws -> PolicyCheckpoint.State {
        var generator = RandomGenerator(seed: config.seed)
        var active = Array(prompts.indices)
        if config.promptFilterSamples > 1 {
            // k samples per prompt from the initial policy; prompts whose scores barely vary teach nothing.
            let k = config.promptFilterSamples
            let repeated = prompts.flatMap { Array(repeating: $0, count: k) }
            let scores = scoreAnswers(of: actor, to: repeated, seed: generator.next(), parallel: parallel)
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
            let scores = scoreAnswers(of: reference, to: repeated, seed: generator.next(), parallel: parallel)
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

    /// The scores of `model`'s answers to `prompts`, generated in rollout-sized batches (each rank its share of each),
    /// after the missing-EOS penalty (so the reference baseline is measured like the rollouts it is subtracted from).
    private func scoreAnswers(of model: TransformerLM, to prompts: [[Int]], seed: UInt64, parallel: RolloutParallel)
        -> [Float]
    {
        var scores: [Float] = []
        for (i, start) in stride(from: 0, to: prompts.count, by: config.promptsPerIteration).enumerated() {
            let chunk = Array(prompts[start..<min(start + config.promptsPerIteration, prompts.count)])
            let local = parallel.localRange(chunk.count)
            let seeds = GenerationConfig.rowSeeds(seed &+ UInt64(i), count: chunk.count)
            var localScores: [Float] = []
            if !local.isEmpty {
                let mine = Array(chunk[local])
                let result = model.generate(prompts: mine, config: generationConfig(rowSeeds: Array(seeds[local])))
                localScores = penalisingMissingEOS(
                    scores: reward.scores(prompts: mine, responses: result.tokens), finished: result.finished,
                    penalty: config.missingEOSPenalty)
            }
            scores += parallel.gather(localScores.map(Double.init), count: chunk.count, label: "answers' scores")
                .map { Float($0) }
        }
        return scores
    }
}
