import Alignment
import AlignmentData
import Foundation
import LanguageModels
import Tokenizers

/// Where `rlhf dpo` gets its pairs: preference pairs read from a store or JSON Lines (offline), or pairs sampled from
/// the policy and labelled by a reward model (on-policy, the paper's way).
struct DPOPairInput {
    /// The policy's tokenizer: renders pairs and prompts with its chat template.
    let tokenizer: Tokenizer
    /// The run's settings (sampling, seed).
    let settings: DPOConfig
    /// The run's output directory, where sampled pairs are kept for a resume.
    let output: URL
    /// Whether an earlier run's sampled pairs may be reused.
    let resume: Bool

    /// Tokenized pairs of `source`.
    func offline(_ source: PreferencePairSource) throws -> [DPOPair] {
        try DPOPairDataset.tokenize(try source.load().pairs.map(\.textPair), tokenizer: tokenizer)
    }

    /// The prompts of a prompt file, or the distinct prompts of the pairs of `source`.
    func prompts(file: String?, source: PreferencePairSource?) throws -> [[Int]] {
        if let file { return try PromptDataset.load(URL(fileURLWithPath: file), tokenizer: tokenizer) }
        guard let source else { return [] }
        return try DPOPairDataset.prompts(of: try source.load().pairs.map(\.textPair), tokenizer: tokenizer)
    }

    /// Pairs sampled from `policy` for `prompts` and labelled by `rewardModel`, kept in `<output>/<name>.json` (and
    /// reused from there on a resume). `seedOffset` separates the samples of held-out prompts from the training ones.
    func sampled(
        _ name: String, prompts: [[Int]], policy: TransformerLM, rewardModel: RewardModel,
        seedOffset: UInt64 = 0
    ) throws -> [DPOPair] {
        var sampling = settings
        sampling.seed = settings.seed &+ seedOffset
        let file = output.appendingPathComponent("\(name).json")
        let (pairs, report, reused) = try OnPolicyPairs.cached(at: file, prompts: prompts, resume: resume) {
            try OnPolicyPairs.build(
                policy: policy, scorer: rewardModel, prompts: prompts, config: sampling,
                stopTokenIds: tokenizer.chatStopTokenIDs)
        }
        let scores = String(
            format: "reward-model score %.4f (chosen %.4f, rejected %.4f)", report.meanScore,
            report.meanChosenScore, report.meanRejectedScore)
        printError(
            "\(name): \(report.prompts) prompts × \(sampling.samplesPerPrompt) samples → \(report.pairs) pairs "
                + "(\(report.dropped) without a preference; \(report.truncated) samples cut at maxNewTokens"
                + (settings.keepTruncatedSamples ? ", kept" : ", left out") + "); \(scores)"
                + (reused ? "; reused from \(file.path)" : ""))
        return pairs
    }
}
