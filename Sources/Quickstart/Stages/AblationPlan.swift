/// One seed of the ablations: the training runs it needs and the stage names they are kept under.
///
/// Every technique is compared with its full-pipeline counterpart trained with the same seed. What each seed
/// re-runs: both reward models for length balancing (the technique lives in reward-model training), and PPO with
/// everything on, without the reference baseline and without PTX (those live in PPO). What all seeds share: the
/// tokenizer, the SFT model, the labels, the main reward model that every PPO run optimises against, and the SFT
/// answers the policies are judged against. Seed 1 is the main run's seed, so it reuses the main `rm` and `ppo`.
struct AblationSeed: Equatable {
    /// 1-based; seed 1 is the main run's.
    let index: Int

    /// The seeds `count` ablation seeds run with.
    static func all(_ count: Int) -> [AblationSeed] { (1...max(count, 1)).map(AblationSeed.init) }

    /// The length-balanced reward model; seed 1's is the main run's.
    var rewardModel: QuickstartStage { .rewardModel(seed: index) }
    /// The reward model trained without length balancing.
    var unbalancedRewardModel: QuickstartStage { .unbalancedRewardModel(seed: index) }
    /// PPO with every technique on; seed 1's is the main run's.
    var ppo: QuickstartStage { .ppo(seed: index) }
    /// PPO without the reference baseline.
    var ppoNoBaseline: QuickstartStage { .ppoNoBaseline(seed: index) }
    /// PPO without PTX.
    var ppoNoPTX: QuickstartStage { .ppoNoPTX(seed: index) }
    /// The stage that measures this seed's runs.
    var measures: QuickstartStage { .ablationMeasures(seed: index) }

    /// The stage whose PPO runs all optimise against: the main reward model, shared by every seed.
    static let sharedRewardModel = QuickstartStage.mainRewardModel

    /// A training run: its stage and what it trains. Both reward models of a seed draw from the same seed stream
    /// (named by `seedStage`), as do its three PPO runs, so a pair differs only in the technique.
    enum Training: Equatable {
        case rewardModel(stage: QuickstartStage, balanceLengths: Bool, seedStage: QuickstartStage)
        case ppo(stage: QuickstartStage, referenceBaseline: Bool, ptx: Bool, seedStage: QuickstartStage)

        var stage: QuickstartStage {
            switch self {
            case .rewardModel(let stage, _, _), .ppo(let stage, _, _, _): stage
            }
        }
    }

    /// The runs this seed trains, in order; seed 1 leaves out the main run's reward model and PPO.
    var training: [Training] {
        var runs: [Training] = []
        if index > 1 { runs.append(.rewardModel(stage: rewardModel, balanceLengths: true, seedStage: rewardModel)) }
        runs.append(.rewardModel(stage: unbalancedRewardModel, balanceLengths: false, seedStage: rewardModel))
        if index > 1 { runs.append(.ppo(stage: ppo, referenceBaseline: true, ptx: true, seedStage: ppo)) }
        runs.append(.ppo(stage: ppoNoBaseline, referenceBaseline: false, ptx: true, seedStage: ppo))
        runs.append(.ppo(stage: ppoNoPTX, referenceBaseline: true, ptx: false, seedStage: ppo))
        return runs
    }
}
