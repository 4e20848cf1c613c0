import Alignment
import Foundation
import LanguageModels
import PreferenceData
import SyntheticTask

/// The evaluation's outcome per policy, and every answer (for the ablations and for readers).
struct EvaluationResult: Codable {
    var policies: [String: QuickstartReport.PolicyInfo]
    var answers: [String: [String]]
    /// A real model's forgetting check: mean negative log-likelihood per token of general texts, by model
    /// (`original`, `sft`, `ppo`, `dpo`); nil for the model trained from scratch.
    var generalTextLoss: [String: Double]?
}

extension QuickstartPipeline {
    /// The evaluation's rows in report order: name in `EvaluationResult`, label in the log. The baseline ("sft" rows)
    /// is the SFT model trained from scratch, or the original real model; a real model's short SFT is its own row.
    var evaluatedPolicies: [(String, String)] {
        let base = startsFromRealModel ? "original" : "SFT"
        return [
            ("sft", "\(base) (second sample)"), ("sft-greedy", "\(base), greedy"),
            ("best-of-n", "\(base), best of n by RM"),
        ] + (startsFromRealModel ? [("tuned-sft", "SFT on task answers")] : [])
            + [("ppo", "PPO"), ("dpo", "DPO")]
    }

    /// How every sampled row draws its answers.
    var evalSampling: QuickstartReport.Sampling { .init(temperature: Double(settings.evalTemperature)) }

    /// Samples every policy's answers to the held-out prompts and lets the oracle compare each with one SFT sample:
    /// a second SFT sample (the noise floor), the SFT model decoding greedily, the best of `bestOfSamples` SFT
    /// samples by the reward model (the cheap alternative to RL), PPO and DPO. With a real model the baseline is the
    /// original model (the first three rows sample it), its short SFT is a row of its own, and the forgetting check
    /// measures each model's loss on general texts.
    func evaluate() throws {
        let tokenizer = try loadTokenizer()
        // The baseline every row is judged against: the SFT model, or the real model as it was given.
        let sft = try loadOriginalModel()
        let seed = settings.seed(for: QuickstartStage.evaluation.name)
        var all: [String: [String]] = [:]
        var generalTextLoss: [String: Double]? = startsFromRealModel ? [:] : nil
        // A real model's evaluation takes minutes per pass over the held-out prompts: a line after each, with an ETA.
        var progress = EvaluationProgress(
            passes: 4 + max(settings.bestOfSamples, 1) + (startsFromRealModel ? 1 : 0), prompts: splits.eval.count)
        func answers(of model: TransformerLM, _ label: String, seed: UInt64, temperature: Float? = nil) throws
            -> [String]
        {
            let started = Date()
            let result = try self.answers(of: model, seed: seed, temperature: temperature)
            log("[evaluation] " + progress.finished(label, seconds: Date().timeIntervalSince(started)))
            return result
        }
        // Each policy is loaded, answers (and, for a real model, takes the forgetting check after its answers, in
        // the same bf16 form for every model) and is dropped before the next: with a real model, holding every
        // policy at once cost more memory than any training stage.
        let baseline = startsFromRealModel ? "original" : "SFT"
        func answerAndCheck(_ model: TransformerLM, _ name: String, _ key: String, seed: UInt64) throws {
            let label = ["sft": baseline, "tuned-sft": "SFT on task answers"][key] ?? name.uppercased()
            all[key] = try answers(of: model, label, seed: seed)
            if generalTextLoss != nil { generalTextLoss?[name] = try self.generalTextLoss(model, tokenizer: tokenizer) }
        }
        try answerAndCheck(sft, "original", "sft", seed: seed)
        all["sft-second"] = try answers(of: sft, "\(baseline), second sample", seed: seed &+ 1)
        try answerAndCheck(try loadPolicy(.mainPPO), "ppo", "ppo", seed: seed &+ 2)
        try answerAndCheck(try loadPolicy(.dpo), "dpo", "dpo", seed: seed &+ 3)
        all["sft-greedy"] = try answers(of: sft, "\(baseline), greedy", seed: seed &+ 4, temperature: 0)
        // The second sample is an independent draw like any candidate: it serves as the first, one sampling pass
        // fewer (on a real model each pass over the held-out prompts costs minutes).
        let candidates =
            try [all["sft-second"]!]
            + (1..<max(settings.bestOfSamples, 1)).map {
                try answers(of: sft, "best-of-n candidate \($0 + 1)", seed: seed &+ 5 &+ UInt64($0))
            }
        if startsFromRealModel {
            try answerAndCheck(
                try loadSFTModel(), "sft", "tuned-sft", seed: seed &+ 5 &+ UInt64(settings.bestOfSamples))
        }
        let reward = try loadRewardModel(.mainRewardModel)
        reward.freezeForScoring()
        let texts = splits.eval.map(\.text)
        let scores = try candidates.map {
            try rewardScores(reward, tokenizer: tokenizer, prompts: texts, responses: $0)
        }
        all["best-of-n"] = Self.bestOf(candidates, scores: scores)

        let greedy = QuickstartReport.Sampling(temperature: 0)
        let bestOf = QuickstartReport.Sampling(
            temperature: Double(settings.evalTemperature), candidates: settings.bestOfSamples)
        var policies: [String: QuickstartReport.PolicyInfo] = [:]
        policies["sft"] = compare(all["sft-second"]!, against: all["sft"]!, sampling: evalSampling)
        policies["sft-greedy"] = compare(all["sft-greedy"]!, against: all["sft"]!, sampling: greedy)
        policies["best-of-n"] = compare(all["best-of-n"]!, against: all["sft"]!, sampling: bestOf)
        policies["ppo"] = compare(all["ppo"]!, against: all["sft"]!, sampling: evalSampling)
        policies["dpo"] = compare(all["dpo"]!, against: all["sft"]!, sampling: evalSampling)
        if let tuned = all["tuned-sft"] {
            policies["tuned-sft"] = compare(tuned, against: all["sft"]!, sampling: evalSampling)
        }
        try run.writeResult(
            EvaluationResult(policies: policies, answers: all, generalTextLoss: generalTextLoss), stage: .evaluation)
        log(
            "[evaluation] every row against one \(startsFromRealModel ? "original-model" : "SFT") sample at temperature \(String(format: "%g", settings.evalTemperature))"
        )
        if let loss = generalTextLoss, let original = loss["original"] {
            log(
                String(
                    format:
                        "[evaluation] general-text loss per token: original %.3f, SFT %+.1f%%, PPO %+.1f%%, DPO %+.1f%%",
                    original, 100 * (loss["sft"]! / original - 1), 100 * (loss["ppo"]! / original - 1),
                    100 * (loss["dpo"]! / original - 1)))
        }
        for (name, label) in evaluatedPolicies {
            let info = policies[name]!
            log(
                String(
                    format:
                        "[evaluation] %@ (%@): win %.1f%%, tie %.1f%%, loss %.1f%% (win − loss %+.1f points), oracle score %.3f, length %.1f",
                    label, info.sampling.text, 100 * info.win, 100 * info.tie, 100 * info.loss, info.winMinusLoss,
                    info.oracleScore, info.meanLength))
        }
    }

    /// For each prompt, the candidate the reward model scores highest (the first of equal scores).
    ///
    /// - Precondition: `candidates[k][i]` is the k-th answer to prompt i and `scores[k][i]` its reward.
    static func bestOf(_ candidates: [[String]], scores: [[Float]]) -> [String] {
        precondition(!candidates.isEmpty && candidates.count == scores.count, "one score list per candidate list")
        return candidates[0].indices.map { prompt in
            // `max(by:)` replaces its pick only with a strictly greater element, so the first of equal scores wins.
            let best = candidates.indices.max { scores[$0][prompt] < scores[$1][prompt] }!
            return candidates[best][prompt]
        }
    }

    /// One answer per held-out prompt from `model`, sampled at `temperature` (the evaluation temperature unless
    /// given).
    func answers(of model: TransformerLM, seed: UInt64, temperature: Float? = nil) throws -> [String] {
        if startsFromRealModel {
            // Decoding a real model is bound by reading its weights: bf16 halves that (f32 accumulation), for every
            // row alike.
            model.freeze()
            model.storeFrozenWeights(as: .bf16)
        }
        return try ChatPolicy(model: model, tokenizer: loadTokenizer())
            .answers(
                splits.eval,
                sampling: settings.sampling(temperature: temperature ?? settings.evalTemperature, seed: seed))
    }

    /// The oracle's comparison of `answers` with `baseline` on the held-out prompts.
    func compare(_ answers: [String], against baseline: [String], sampling: QuickstartReport.Sampling)
        -> QuickstartReport.PolicyInfo
    {
        Self.compare(answers, against: baseline, on: splits.eval, oracle: oracle, sampling: sampling)
    }

    /// The oracle's comparison of `answers` (side a) with `baseline` (side b), prompt by prompt: a win when it prefers
    /// the answer, a loss when it prefers the baseline; overall and per category, with the answers' mean criteria
    /// and length and two examples per category.
    ///
    /// - Precondition: one answer and one baseline answer per prompt, in the prompts' order.
    static func compare(
        _ answers: [String], against baseline: [String], on prompts: [TaskPrompt], oracle: GoldOracle,
        sampling: QuickstartReport.Sampling
    ) -> QuickstartReport.PolicyInfo {
        precondition(
            answers.count == prompts.count && baseline.count == prompts.count, "one answer per prompt on each side")
        var verdicts: [Choice] = []
        var scores: [OracleScore] = []
        var byCategory: [String: [Choice]] = [:]
        var samples: [QuickstartReport.Sample] = []
        for (index, prompt) in prompts.enumerated() {
            let verdict = oracle.prefer(prompt: prompt, a: answers[index], b: baseline[index])
            verdicts.append(verdict)
            scores.append(oracle.score(prompt: prompt, response: answers[index]))
            byCategory[prompt.category.rawValue, default: []].append(verdict)
            if samples.filter({ $0.category == prompt.category.rawValue }).count < 2 {
                samples.append(
                    QuickstartReport.Sample(
                        category: prompt.category.rawValue, prompt: prompt.text,
                        response: answers[index], sftResponse: baseline[index],
                        verdict: verdictName(verdict)))
            }
        }
        let overall = outcome(verdicts)
        func mean(_ values: [Double]) -> Double { RewardStatistics.mean(values) ?? .nan }
        return QuickstartReport.PolicyInfo(
            sampling: sampling, win: overall.win, tie: overall.tie, loss: overall.loss,
            winMinusLoss: 100 * (overall.win - overall.loss),
            perCategory: byCategory.mapValues(outcome), oracleScore: mean(scores.map(\.total)),
            helpfulness: mean(scores.map(\.helpfulness)), harmlessness: mean(scores.map(\.harmlessness)),
            fluency: mean(scores.map(\.fluency)),
            meanLength: mean(answers.map { Double(TextMeasures.units($0).count) }), curves: [:], samples: samples)
    }

    static func outcome(_ verdicts: [Choice]) -> QuickstartReport.Outcome {
        let n = Double(max(verdicts.count, 1))
        return QuickstartReport.Outcome(
            win: Double(verdicts.filter { $0 == .a }.count) / n,
            tie: Double(verdicts.filter { $0 == .tie }.count) / n,
            loss: Double(verdicts.filter { $0 == .b }.count) / n, count: verdicts.count)
    }

    static func verdictName(_ choice: Choice) -> String {
        switch choice {
        case .a: "win"
        case .b: "loss"
        default: "tie"
        }
    }
}
