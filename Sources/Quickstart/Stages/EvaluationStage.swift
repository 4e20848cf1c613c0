import Alignment
import Foundation
import LanguageModels
import PreferenceData

/// The evaluation's outcome per policy, and every answer (for the ablations and for readers).
struct EvaluationResult: Codable {
    var policies: [String: QuickstartReport.PolicyInfo]
    var answers: [String: [String]]
}

extension QuickstartPipeline {
    /// Samples every policy's answers to the held-out prompts and lets the oracle compare each with the SFT model's:
    /// PPO and DPO against one SFT sample, and a second SFT sample against the first (the noise floor).
    func evaluate() throws {
        let tokenizer = try loadTokenizer()
        let sft = ChatPolicy(model: try loadSFTModel(), tokenizer: tokenizer)
        let seed = settings.seed(for: "evaluation")
        var all: [String: [String]] = [:]
        all["sft"] = try answers(of: sft.model, seed: seed)
        all["sft-second"] = try answers(of: sft.model, seed: seed &+ 1)
        all["ppo"] = try answers(of: loadPolicy("ppo"), seed: seed &+ 2)
        all["dpo"] = try answers(of: loadPolicy("dpo"), seed: seed &+ 3)
        var policies: [String: QuickstartReport.PolicyInfo] = [:]
        policies["sft"] = compare(all["sft-second"]!, against: all["sft"]!)
        policies["ppo"] = compare(all["ppo"]!, against: all["sft"]!)
        policies["dpo"] = compare(all["dpo"]!, against: all["sft"]!)
        try run.writeResult(EvaluationResult(policies: policies, answers: all), stage: "evaluation")
        for name in ["sft", "ppo", "dpo"] {
            let info = policies[name]!
            log(String(format: "[evaluation] %@ vs SFT: win %.1f%%, tie %.1f%%, loss %.1f%% (win − loss %+.1f points), oracle score %.3f, length %.1f",
                       name == "sft" ? "SFT (second sample)" : name.uppercased(), 100 * info.win, 100 * info.tie,
                       100 * info.loss, info.winMinusLoss, info.oracleScore, info.meanLength))
        }
    }

    /// One answer per held-out prompt from `model`, sampled at the evaluation temperature.
    func answers(of model: TransformerLM, seed: UInt64) throws -> [String] {
        try ChatPolicy(model: model, tokenizer: loadTokenizer())
            .answers(splits.eval, maxNewTokens: settings.maxNewTokens, temperature: settings.evalTemperature, seed: seed)
    }

    /// The oracle's comparison of `answers` with `baseline` on the held-out prompts, overall and per category, with
    /// the answers' mean criteria and length and two examples per category.
    func compare(_ answers: [String], against baseline: [String]) -> QuickstartReport.PolicyInfo {
        let prompts = splits.eval
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
                samples.append(QuickstartReport.Sample(category: prompt.category.rawValue, prompt: prompt.text,
                                                       response: answers[index], sftResponse: baseline[index],
                                                       verdict: Self.verdictName(verdict)))
            }
        }
        let overall = Self.outcome(verdicts)
        func mean(_ values: [Double]) -> Double { RewardStatistics.mean(values) ?? .nan }
        return QuickstartReport.PolicyInfo(
            win: overall.win, tie: overall.tie, loss: overall.loss, winMinusLoss: 100 * (overall.win - overall.loss),
            perCategory: byCategory.mapValues(Self.outcome), oracleScore: mean(scores.map(\.total)),
            helpfulness: mean(scores.map(\.helpfulness)), harmlessness: mean(scores.map(\.harmlessness)),
            fluency: mean(scores.map(\.fluency)),
            meanLength: mean(answers.map { Double(TextMeasures.units($0).count) }), curves: [:], samples: samples)
    }

    static func outcome(_ verdicts: [Choice]) -> QuickstartReport.Outcome {
        let n = Double(max(verdicts.count, 1))
        return QuickstartReport.Outcome(win: Double(verdicts.filter { $0 == .a }.count) / n,
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
