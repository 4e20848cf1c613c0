import LanguageModels

/// The models a PPO or GRPO run trains and reads, made from the starting policy and the reward model.
///
/// Full fine-tuning: the actor and the critic are copies, the reference is the starting policy. With LoRA (as OpenRLHF
/// and TRL do it): one base in memory for the policy — the actor is the starting policy with adapters, the reference
/// the same weights with none (`sharingBaseWeights`) — and the critic is an adapter on the reward model's base, with
/// its own value head.
public struct PolicyModels {
    /// The policy being trained.
    public let actor: TransformerLM
    /// The frozen reference.
    public let reference: TransformerLM
    /// The critic (PPO), nil for GRPO.
    public let critic: ValueModel?
    /// One line on what trains (full fine-tuning, or the adapters).
    public let summary: String

    /// Builds them from `policy` (consumed: with LoRA it becomes the actor) and `reward` (frozen, its adapters
    /// merged; with LoRA its weights are kept in `lora.frozenWeights` precision). `criticFromReward` starts the critic
    /// from the reward model (else from the policy, with a fresh head seeded by `seed`); `critic: false` builds none.
    public init(
        policy: TransformerLM, reward: RewardModel, lora: LoRAConfig, critic makeCritic: Bool,
        criticFromReward: Bool, seed: UInt64
    ) throws {
        reward.freezeForScoring()
        let summary = try lora.prepare(policy, seed: seed)
        guard let settings = lora.settings else {
            actor = policy.copy()
            reference = policy
            critic =
                makeCritic
                ? (criticFromReward ? ValueModel(copying: reward) : ValueModel(copying: policy, seed: seed)) : nil
            self.summary = summary
            return
        }
        actor = policy
        reference = try policy.sharingBaseWeights()
        // Before a critic shares the reward model's weights, so that both read the same bf16 copy.
        reward.backbone.storeFrozenWeights(as: lora.frozenWeights)
        if makeCritic {
            let base = try (criticFromReward ? reward.backbone : reference).sharingBaseWeights()
            do {
                try base.addAdapters(settings, seed: seed &+ 0x5EED)
            } catch let error as LoRAError {
                throw TrainingError.invalidConfig(error.problem)
            }
            let head = ScalarHead(hiddenSize: base.config.hiddenSize, seed: seed)
            if criticFromReward {
                head.copyWeights(from: reward.head)
                head.unfreeze()  // the reward model's head is frozen; the value head trains
            }
            critic = ValueModel(backbone: base, head: head)
        } else {
            critic = nil
        }
        self.summary = summary
    }
}

extension RewardModel {
    /// Readies a reward model to score only: adapters it was trained with are merged into its weights (one pass,
    /// and a plain base a critic can share) and every weight is frozen.
    public func freezeForScoring() {
        backbone.mergeAdapters()
        backbone.freeze()
        head.freeze()
    }
}
