import LanguageModels
import TensorEngine

extension TransformerLM {
    /// An independent copy with the same weights (the PPO actor, critic and reference start from one SFT model).
    public func copy() -> TransformerLM {
        let weights = WeightSet(Dictionary(uniqueKeysWithValues: namedParameters.map { ($0.0, $0.1.copy()) }), source: "copy")
        // The same config and a complete set of its own weights: cannot fail.
        return try! TransformerLM(config: config, weights: weights)
    }
}
