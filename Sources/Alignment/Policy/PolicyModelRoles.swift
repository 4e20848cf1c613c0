import LanguageModels

/// The guard PPO and GRPO share: the models a run trains are never the frozen reference. Passing one object for both
/// trains the reference along with the actor, silently: the KL then measures nothing.
enum PolicyModelRoles {
    /// Throws unless the actor, the reference and the critic's backbone (when given) are different objects.
    static func checkDistinct(actor: TransformerLM, reference: TransformerLM, critic: ValueModel? = nil) throws {
        if actor === reference {
            throw TrainingError.invalidData(
                "the actor and the reference are the same model object: pass a copy as the actor (policy.copy())")
        }
        if let critic, critic.backbone === actor || critic.backbone === reference {
            throw TrainingError.invalidData(
                "the critic's backbone is the \(critic.backbone === actor ? "actor" : "reference") model object: build the critic from a copy (ValueModel(copying:))"
            )
        }
    }
}
