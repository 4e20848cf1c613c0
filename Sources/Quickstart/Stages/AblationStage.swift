import Alignment
import Foundation

extension QuickstartPipeline {
    /// Compares the main run with each technique switched off: length balancing (the reward model's length
    /// correlation and the PPO policy's answer length), the reference baseline (the variance of the critic's targets
    /// and the growth of KL) and PTX (the policy's loss on held-out SFT examples).
    func measureAblations() throws {
        let evaluation = try run.readResult(EvaluationResult.self, stage: "evaluation")
        let sftAnswers = evaluation.answers["sft"] ?? []
        let seed = settings.seed(for: "evaluation") &+ 2  // PPO's evaluation seed, so only the policy differs
        func evaluated(_ stage: String) throws -> QuickstartReport.PolicyInfo {
            compare(try answers(of: loadPolicy(stage), seed: seed), against: sftAnswers)
        }
        let ppo = evaluation.policies["ppo"]!
        let ppoRun = try run.readResult(PPOResult.self, stage: "ppo")

        let rm = try run.readResult(RewardModelResult.self, stage: "rm")
        let rmOff = try run.readResult(RewardModelResult.self, stage: "rm-unbalanced")
        let ppoUnbalanced = try evaluated("ppo-unbalanced-rm")
        let unbalancedRun = try run.readResult(PPOResult.self, stage: "ppo-unbalanced-rm")
        let lengthOn = ["rm_length_correlation": rm.lengthCorrelation, "rm_oracle_accuracy": rm.oracleAccuracy,
                        "rm_training_pairs": Double(rm.trainPairs), "policy_mean_length": ppo.meanLength,
                        "policy_win_minus_loss": ppo.winMinusLoss]
        let lengthOff = ["rm_length_correlation": rmOff.lengthCorrelation, "rm_oracle_accuracy": rmOff.oracleAccuracy,
                         "rm_training_pairs": Double(rmOff.trainPairs), "policy_mean_length": ppoUnbalanced.meanLength,
                         "policy_win_minus_loss": ppoUnbalanced.winMinusLoss]
        // The paper's measure is the reward model's length bias; the policy's length is reported beside it.
        let lengthMatches = abs(rm.lengthCorrelation) < abs(rmOff.lengthCorrelation)
        let lengthBalancing = QuickstartReport.Ablation(
            on: lengthOn, off: lengthOff, curvesOn: pick(ppoRun.curves, ["response_length"]),
            curvesOff: pick(unbalancedRun.curves, ["response_length"]), matchesPaper: lengthMatches,
            summary: String(format: "Reward-model length correlation %.3f with balancing vs %.3f without; the PPO policy's answers average %.1f vs %.1f units.",
                            rm.lengthCorrelation, rmOff.lengthCorrelation, ppo.meanLength, ppoUnbalanced.meanLength))

        let noBaselineRun = try run.readResult(PPOResult.self, stage: "ppo-no-baseline")
        let noBaseline = try evaluated("ppo-no-baseline")
        func baselineMeasures(_ result: PPOResult, _ info: QuickstartReport.PolicyInfo) -> [String: Double] {
            ["critic_target_variance": RewardStatistics.mean(result.curves["return_variance"] ?? []) ?? .nan,
             "final_kl": result.curves["kl"]?.last ?? .nan, "kl_growth_per_iteration": slope(result.curves["kl"] ?? []),
             "policy_win_minus_loss": info.winMinusLoss]
        }
        let baselineOn = baselineMeasures(ppoRun, ppo), baselineOff = baselineMeasures(noBaselineRun, noBaseline)
        let referenceBaseline = QuickstartReport.Ablation(
            on: baselineOn, off: baselineOff, curvesOn: pick(ppoRun.curves, ["kl", "return_variance"]),
            curvesOff: pick(noBaselineRun.curves, ["kl", "return_variance"]),
            // Both of the paper's measures must agree: lower reward variance and slower KL growth.
            matchesPaper: baselineOn["critic_target_variance"]! < baselineOff["critic_target_variance"]!
                && baselineOn["kl_growth_per_iteration"]! < baselineOff["kl_growth_per_iteration"]!,
            summary: String(format: "Critic-target variance %.4f with the reference baseline vs %.4f without; KL grows %.4f vs %.4f per iteration.",
                            baselineOn["critic_target_variance"]!, baselineOff["critic_target_variance"]!,
                            baselineOn["kl_growth_per_iteration"]!, baselineOff["kl_growth_per_iteration"]!))

        let noPTXRun = try run.readResult(PPOResult.self, stage: "ppo-no-ptx")
        let noPTX = try evaluated("ppo-no-ptx")
        let sftLoss = try run.readResult(SFTResult.self, stage: "sft").heldOutLoss
        let ptx = QuickstartReport.Ablation(
            on: ["heldout_sft_loss": ppoRun.heldOutSFTLoss, "sft_model_heldout_sft_loss": sftLoss,
                 "policy_win_minus_loss": ppo.winMinusLoss],
            off: ["heldout_sft_loss": noPTXRun.heldOutSFTLoss, "sft_model_heldout_sft_loss": sftLoss,
                  "policy_win_minus_loss": noPTX.winMinusLoss],
            curvesOn: pick(ppoRun.curves, ["reward"]), curvesOff: pick(noPTXRun.curves, ["reward"]),
            matchesPaper: ppoRun.heldOutSFTLoss < noPTXRun.heldOutSFTLoss,
            summary: String(format: "Held-out SFT loss after PPO %.3f with PTX vs %.3f without (the SFT model: %.3f).",
                            ppoRun.heldOutSFTLoss, noPTXRun.heldOutSFTLoss, sftLoss))
        let ablations = QuickstartReport.Ablations(lengthBalancing: lengthBalancing, referenceBaseline: referenceBaseline, ptx: ptx)
        try run.writeResult(ablations, stage: "ablations")
        for (name, ablation) in [("length balancing", lengthBalancing), ("reference baseline", referenceBaseline), ("PTX", ptx)] {
            log("[ablations] \(name): \(ablation.summary) \(ablation.matchesPaper ? "As the paper reports." : "Not the paper's direction.")")
        }
    }

    private func pick(_ curves: [String: [Double]], _ keys: [String]) -> [String: [Double]] {
        curves.filter { keys.contains($0.key) }
    }

    /// The least-squares slope of `values` against their index.
    func slope(_ values: [Double]) -> Double {
        guard values.count >= 2 else { return .nan }
        let n = Double(values.count), xs = values.indices.map(Double.init)
        let mx = xs.reduce(0, +) / n, my = values.reduce(0, +) / n
        let sxy = zip(xs, values).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        return sxy / sxx
    }
}
