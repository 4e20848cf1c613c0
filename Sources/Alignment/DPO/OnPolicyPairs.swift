import LanguageModels
import TensorEngine

/// DPO data as ChatGLM-RLHF builds it (§3): the policy answers each prompt `samplesPerPrompt` times, the reward
/// model scores the answers, and its best and worst answer become the chosen and rejected response. Data
/// construction is thereby separated from human annotation and scales with compute.
public enum OnPolicyPairs {
    /// What the construction did.
    public struct Report: Sendable, Equatable, Codable {
        /// Prompts answered.
        public var prompts: Int
        /// Pairs made (one per prompt whose scores differ enough).
        public var pairs: Int
        /// Prompts without a pair: fewer than two usable samples, best and worst scores within `minScoreGap`, or the
        /// same response.
        public var dropped: Int
        /// Samples cut at `maxNewTokens` without an end-of-turn token (left out of the pairs unless
        /// `keepTruncatedSamples`).
        public var truncated: Int
        /// Mean reward-model score of the chosen responses.
        public var meanChosenScore: Double
        /// Mean score of the rejected responses.
        public var meanRejectedScore: Double
        /// Mean score of all samples: the starting policy's reward.
        public var meanScore: Double
    }

    /// The pairs of `prompts` (token ids, each ending where the answer starts) sampled from `policy` and labelled by
    /// `scorer`, in the prompts' order. Sampling follows `config` (samples per prompt, new tokens, temperature,
    /// top-k/p, seed) in batches of `generationBatchSize` prompts; a response ends at the model's end-of-sequence
    /// tokens or at one of `stopTokenIds` (a chat template's end of turn). Prompts keep their last
    /// `maxPromptLength` tokens. Samples cut at `maxNewTokens` take no part in the choice unless
    /// `keepTruncatedSamples`. Without a tape; deterministic for the seed. Throws, before generating anything,
    /// for invalid settings or a prompt the policy cannot answer (empty, unknown ids, too long).
    public static func build(
        policy: TransformerLM, scorer: any SequenceScorer, prompts: [[Int]], config: DPOConfig,
        stopTokenIds: [Int] = []
    ) throws -> (pairs: [DPOPair], report: Report) {
        if let problem = config.problem { throw TrainingError.invalidConfig(problem) }
        if prompts.isEmpty { throw TrainingError.invalidData("no prompts") }
        let k = config.samplesPerPrompt
        let prompts = prompts.map { Array($0.suffix(config.maxPromptLength)) }
        try check(prompts, model: policy.config, newTokens: config.sampling.maxNewTokens)
        var pairs: [DPOPair] = []
        var chosenScores: [Double] = [], rejectedScores: [Double] = [], allScores: [Double] = []
        var truncated = 0
        for (chunk, start) in stride(from: 0, to: prompts.count, by: config.generationBatchSize).enumerated() {
            let group = Array(prompts[start..<min(start + config.generationBatchSize, prompts.count)])
            let repeated = group.flatMap { Array(repeating: $0, count: k) }
            var generation = config.sampling
            generation.stopTokenIds = stopTokenIds
            generation.seed = config.seed &+ UInt64(chunk) &* 0x9E37_79B9_7F4A_7C15
            let generated = policy.generate(prompts: repeated, config: generation)
            let samples = generated.tokens
            let scores = scorer.scores(prompts: repeated, responses: samples)
            allScores += scores.map(Double.init)
            truncated += generated.finished.filter { !$0 }.count
            for (p, prompt) in group.enumerated() {
                let range = ((p * k)..<((p + 1) * k)).filter { config.keepTruncatedSamples || generated.finished[$0] }
                guard range.count >= 2 else { continue }
                // Ties go to the earliest sample on both ends, so the choice depends only on the scores.
                let best = range.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }!
                let worst = range.min { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }!
                guard scores[best] - scores[worst] > config.minScoreGap, samples[best] != samples[worst],
                    !samples[best].isEmpty, !samples[worst].isEmpty
                else { continue }
                pairs.append(DPOPair(prompt: prompt, chosen: samples[best], rejected: samples[worst]))
                chosenScores.append(Double(scores[best]))
                rejectedScores.append(Double(scores[worst]))
            }
        }
        func mean(_ values: [Double]) -> Double { RewardStatistics.mean(values) ?? 0 }
        let report = Report(
            prompts: prompts.count, pairs: pairs.count, dropped: prompts.count - pairs.count,
            truncated: truncated,
            meanChosenScore: mean(chosenScores), meanRejectedScore: mean(rejectedScores),
            meanScore: mean(allScores))
        return (pairs, report)
    }

    private static func check(_ prompts: [[Int]], model: ModelConfig, newTokens: Int) throws {
        for (i, prompt) in prompts.enumerated() {
            func fail(_ problem: String) -> TrainingError { .invalidData("prompt \(i + 1): \(problem)") }
            if prompt.isEmpty { throw fail("empty") }
            if let bad = prompt.first(where: { $0 < 0 || $0 >= model.vocabSize }) {
                throw fail("token id \(bad) is outside the model's vocabulary of \(model.vocabSize)")
            }
            if prompt.count + newTokens > model.maxPositions {
                throw fail(
                    "\(prompt.count) tokens + \(newTokens) new ones exceed the model's \(model.maxPositions) positions; lower maxPromptLength or maxNewTokens"
                )
            }
        }
    }
}

extension OnPolicyPairs.Report {
    /// Reads a report; one saved before `truncated` was counted reads it as 0.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        prompts = try c.decode(Int.self, forKey: .prompts)
        pairs = try c.decode(Int.self, forKey: .pairs)
        dropped = try c.decode(Int.self, forKey: .dropped)
        truncated = try c.decodeIfPresent(Int.self, forKey: .truncated) ?? 0
        meanChosenScore = try c.decode(Double.self, forKey: .meanChosenScore)
        meanRejectedScore = try c.decode(Double.self, forKey: .meanRejectedScore)
        meanScore = try c.decode(Double.self, forKey: .meanScore)
    }
}
