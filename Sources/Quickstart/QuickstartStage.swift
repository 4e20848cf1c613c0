/// A stage of a quickstart run. Its `name` is its folder in the run directory, its key among run.json's finished
/// stages and the name its random streams derive from, so the names never change: a run directory made by an
/// earlier version continues, and the same seed trains the same models.
enum QuickstartStage: Hashable, Sendable {
    case tokenizer, sft, annotation, dpo, evaluation
    /// The ablations' summary over every seed.
    case ablations
    /// The length-balanced reward model of an ablation seed (seed 1's is the main run's, which PPO optimises against).
    case rewardModel(seed: Int)
    /// The reward model trained without length balancing.
    case unbalancedRewardModel(seed: Int)
    /// PPO with every technique on (seed 1's is the main run's).
    case ppo(seed: Int)
    /// PPO without the reference baseline.
    case ppoNoBaseline(seed: Int)
    /// PPO without PTX.
    case ppoNoPTX(seed: Int)
    /// The measures of an ablation seed's runs.
    case ablationMeasures(seed: Int)

    /// The main run's reward model.
    static let mainRewardModel = QuickstartStage.rewardModel(seed: 1)
    /// The main run's PPO.
    static let mainPPO = QuickstartStage.ppo(seed: 1)

    /// The stage's name: `rm`, `ppo-no-ptx-seed2`, `ablation-seed3`.
    var name: String {
        func suffix(_ seed: Int) -> String { seed == 1 ? "" : "-seed\(seed)" }
        return switch self {
        case .tokenizer: "tokenizer"
        case .sft: "sft"
        case .annotation: "annotation"
        case .dpo: "dpo"
        case .evaluation: "evaluation"
        case .ablations: "ablations"
        case let .rewardModel(seed): "rm" + suffix(seed)
        case let .unbalancedRewardModel(seed): "rm-unbalanced" + suffix(seed)
        case let .ppo(seed): "ppo" + suffix(seed)
        case let .ppoNoBaseline(seed): "ppo-no-baseline" + suffix(seed)
        case let .ppoNoPTX(seed): "ppo-no-ptx" + suffix(seed)
        case let .ablationMeasures(seed): "ablation-seed\(seed)"
        }
    }
}
