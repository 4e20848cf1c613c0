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
        #expect(first.rewardModel == "rm" && first.ppo == "ppo")
        #expect(first.training == [
            .rewardModel(stage: "rm-unbalanced", balanceLengths: false, seedName: "rm"),
            .ppo(stage: "ppo-no-baseline", referenceBaseline: false, ptx: true, seedName: "ppo"),
            .ppo(stage: "ppo-no-ptx", referenceBaseline: true, ptx: false, seedName: "ppo"),
        ])
    }

    @Test func laterSeedsRerunBothRewardModelsAndAllThreePPORunsUnderTheirOwnSeed() {
        let second = AblationSeed(index: 2)
        #expect(second.training == [
            .rewardModel(stage: "rm-seed2", balanceLengths: true, seedName: "rm-seed2"),
            .rewardModel(stage: "rm-unbalanced-seed2", balanceLengths: false, seedName: "rm-seed2"),
            .ppo(stage: "ppo-seed2", referenceBaseline: true, ptx: true, seedName: "ppo-seed2"),
            .ppo(stage: "ppo-no-baseline-seed2", referenceBaseline: false, ptx: true, seedName: "ppo-seed2"),
            .ppo(stage: "ppo-no-ptx-seed2", referenceBaseline: true, ptx: false, seedName: "ppo-seed2"),
        ])
    }

    @Test func everyStageNameIsDistinctAndSeedsDrawDistinctStreams() {
        let seeds = AblationSeed.all(3)
        let stages = ["tokenizer", "sft", "annotation", "rm", "ppo", "dpo", "evaluation", "ablations"]
            + seeds.flatMap { $0.training.map(\.stage) + [$0.measures] }
        #expect(Set(stages).count == stages.count)
        let settings = QuickstartSettings.fast
        let seedNames = Set(seeds.flatMap { [$0.rewardModel, $0.ppo] })
        #expect(Set(seedNames.map(settings.seed(for:))).count == 6)
    }
}
