import Alignment
import Foundation

/// One ablation seed's measures: for each technique, named measures with it on and off.
struct AblationSeedResult: Codable {
    struct Sides: Codable {
        var on: [String: Double]
        var off: [String: Double]
    }
    var lengthBalancing: Sides
    var referenceBaseline: Sides
    var ptx: Sides
}

extension QuickstartPipeline {
    /// What the paper reports for each technique: the measures and the way they move with it on.
    static let lengthBalancingPaperMeasures: [String: QuickstartReport.Direction] = [
        "rm_abs_length_correlation": .lower
    ]
    static let referenceBaselinePaperMeasures: [String: QuickstartReport.Direction] =
        ["critic_target_variance": .lower, "kl_growth_per_iteration": .lower]
    static let ptxPaperMeasures: [String: QuickstartReport.Direction] = ["heldout_sft_loss": .lower]

    /// Trains one of an ablation seed's runs.
    func train(_ run: AblationSeed.Training) throws {
        switch run {
        case let .rewardModel(stage, balanceLengths, seedStage):
            try trainRewardModel(stage: stage, balanceLengths: balanceLengths, seedStage: seedStage)
        case let .ppo(stage, referenceBaseline, ptx, seedStage):
            try trainPPO(
                stage: stage, rewardStage: AblationSeed.sharedRewardModel, referenceBaseline: referenceBaseline,
                ptx: ptx, seedStage: seedStage)
        }
    }

    /// Measures one seed's runs: the reward models' length bias (length balancing), the critic targets' variance and
    /// the growth of KL (the reference baseline), the policy's loss on held-out SFT examples (PTX), and each PPO
    /// policy's win − loss against the shared SFT answers.
    func measureAblationSeed(_ seed: AblationSeed) throws {
        let evaluation = try run.readResult(EvaluationResult.self, stage: .evaluation)
        let sftAnswers = evaluation.answers["sft"] ?? []
        // PPO's evaluation seed, so only the policy differs
        let evaluationSeed = settings.seed(for: QuickstartStage.evaluation.name) &+ 2
        func evaluated(_ stage: QuickstartStage) throws -> QuickstartReport.PolicyInfo {
            if stage == .mainPPO, let main = evaluation.policies["ppo"] { return main }
            return compare(
                try answers(of: loadPolicy(stage), seed: evaluationSeed), against: sftAnswers,
                sampling: evalSampling)
        }

        func rewardModelMeasures(_ result: RewardModelResult) -> [String: Double] {
            [
                "rm_abs_length_correlation": abs(result.lengthCorrelation),
                "rm_length_correlation": result.lengthCorrelation,
                "rm_oracle_accuracy": result.oracleAccuracy, "rm_training_pairs": Double(result.trainPairs),
            ]
        }
        let lengthBalancing = AblationSeedResult.Sides(
            on: rewardModelMeasures(try run.readResult(RewardModelResult.self, stage: seed.rewardModel)),
            off: rewardModelMeasures(try run.readResult(RewardModelResult.self, stage: seed.unbalancedRewardModel)))

        let sftLoss = try run.readResult(SFTResult.self, stage: .sft).heldOutLoss
        func ppoMeasures(_ stage: QuickstartStage) throws -> [String: Double] {
            let result = try run.readResult(PPOResult.self, stage: stage)
            return [
                "critic_target_variance": RewardStatistics.mean(result.curves["return_variance"] ?? []) ?? .nan,
                "final_kl": result.curves["kl"]?.last ?? .nan,
                "kl_growth_per_iteration": slope(result.curves["kl"] ?? []),
                "heldout_sft_loss": result.heldOutSFTLoss, "sft_model_heldout_sft_loss": sftLoss,
                "policy_win_minus_loss": try evaluated(stage).winMinusLoss,
            ]
        }
        let full = try ppoMeasures(seed.ppo)
        let result = AblationSeedResult(
            lengthBalancing: lengthBalancing,
            referenceBaseline: .init(on: full, off: try ppoMeasures(seed.ppoNoBaseline)),
            ptx: .init(on: full, off: try ppoMeasures(seed.ppoNoPTX)))
        try run.writeResult(result, stage: seed.measures)
    }

    /// The ablations over every seed: mean ± standard deviation of each measure, and a verdict on the paper's.
    func summarizeAblations() throws {
        let seeds = AblationSeed.all(settings.ablationSeeds)
        let results = try seeds.map { try run.readResult(AblationSeedResult.self, stage: $0.measures) }
        let first = seeds[0]
        let rmOn = try run.readResult(RewardModelResult.self, stage: first.rewardModel)
        let rmOff = try run.readResult(RewardModelResult.self, stage: first.unbalancedRewardModel)
        let ppo = try run.readResult(PPOResult.self, stage: first.ppo)
        let noBaseline = try run.readResult(PPOResult.self, stage: first.ppoNoBaseline)
        let noPTX = try run.readResult(PPOResult.self, stage: first.ppoNoPTX)
        let ablations = QuickstartReport.Ablations(
            lengthBalancing: .init(
                on: results.map(\.lengthBalancing.on), off: results.map(\.lengthBalancing.off),
                paperMeasures: Self.lengthBalancingPaperMeasures,
                curvesOn: ["loss": rmOn.loss], curvesOff: ["loss": rmOff.loss],
                subject: "Reward model with length balancing vs without"),
            referenceBaseline: .init(
                on: results.map(\.referenceBaseline.on), off: results.map(\.referenceBaseline.off),
                paperMeasures: Self.referenceBaselinePaperMeasures,
                curvesOn: pick(ppo.curves, ["kl", "return_variance"]),
                curvesOff: pick(noBaseline.curves, ["kl", "return_variance"]),
                subject: "PPO with the reference baseline vs without"),
            ptx: .init(
                on: results.map(\.ptx.on), off: results.map(\.ptx.off), paperMeasures: Self.ptxPaperMeasures,
                curvesOn: pick(ppo.curves, ["reward"]), curvesOff: pick(noPTX.curves, ["reward"]),
                subject: "PPO with PTX vs without"))
        try run.writeResult(ablations, stage: .ablations)
        for ablation in [ablations.lengthBalancing, ablations.referenceBaseline, ablations.ptx] {
            log("[ablations] \(ablation.summary)")
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
