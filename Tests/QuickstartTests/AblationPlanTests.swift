import Testing

@testable import Quickstart

/// What each ablation seed re-runs and what it shares.
@Suite struct AblationPlanTests {
    @Test func threeSeedsByDefault() {
        #expect(QuickstartSettings.standard.ablationSeeds == 3)
        #expect(QuickstartSettings.fast.ablationSeeds == 3)
        #expect(AblationSeed.all(3).map(\.index) == [1, 2, 3])
    }

    @Test func theFirstSeedReusesTheMainRunsRewardModelAndPPO() {
        let first = AblationSeed(index: 1)
        #expect(first.rewardModel.name == "rm" && first.ppo.name == "ppo")
        #expect(first.rewardModel == .mainRewardModel && first.ppo == .mainPPO)
        #expect(
            first.training.map(\.names) == [
                ["rm-unbalanced", "rm"],
                ["ppo-no-baseline", "ppo"],
                ["ppo-no-ptx", "ppo"],
            ])
        #expect(
            first.training == [
                .rewardModel(
                    stage: .unbalancedRewardModel(seed: 1), balanceLengths: false, seedStage: .mainRewardModel),
                .ppo(stage: .ppoNoBaseline(seed: 1), referenceBaseline: false, ptx: true, seedStage: .mainPPO),
                .ppo(stage: .ppoNoPTX(seed: 1), referenceBaseline: true, ptx: false, seedStage: .mainPPO),
            ])
    }

    @Test func laterSeedsRerunBothRewardModelsAndAllThreePPORunsUnderTheirOwnSeed() {
        let second = AblationSeed(index: 2)
        // The names are the earlier versions' folder names: their run directories continue.
        #expect(
            second.training.map(\.names) == [
                ["rm-seed2", "rm-seed2"],
                ["rm-unbalanced-seed2", "rm-seed2"],
                ["ppo-seed2", "ppo-seed2"],
                ["ppo-no-baseline-seed2", "ppo-seed2"],
                ["ppo-no-ptx-seed2", "ppo-seed2"],
            ])
        #expect(second.training.map(\.balanceLengths) == [true, false, nil, nil, nil])
        #expect(second.measures.name == "ablation-seed2")
    }

    @Test func everyStageNameIsDistinctAndSeedsDrawDistinctStreams() {
        let seeds = AblationSeed.all(3)
        let stages: [QuickstartStage] =
            [.tokenizer, .sft, .annotation, .mainRewardModel, .mainPPO, .dpo, .evaluation, .ablations]
            + seeds.flatMap { $0.training.map(\.stage) + [$0.measures] }
        #expect(Set(stages.map(\.name)).count == stages.count)
        let settings = QuickstartSettings.fast
        let seedNames = Set(seeds.flatMap { [$0.rewardModel.name, $0.ppo.name] })
        #expect(Set(seedNames.map(settings.seed(for:))).count == 6)
    }
}

extension AblationSeed.Training {
    /// The stage's name and the name its seed derives from.
    var names: [String] {
        switch self {
        case let .rewardModel(stage, _, seedStage), let .ppo(stage, _, _, seedStage): [stage.name, seedStage.name]
        }
    }

    /// Whether a reward model is length-balanced (nil for PPO).
    var balanceLengths: Bool? {
        if case let .rewardModel(_, balanceLengths, _) = self { return balanceLengths }
        return nil
    }
}
