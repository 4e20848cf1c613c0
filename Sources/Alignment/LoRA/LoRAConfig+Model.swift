import LanguageModels
import TensorEngine

extension LoRAConfig {
    /// Readies a starting model for training: adapters it was saved with are merged into its weights first (the
    /// model as loaded is the reference and the base); then, with LoRA on, fresh adapters are added (A drawn from
    /// `seed`) and everything else frozen. Returns a line describing what trains.
    @discardableResult
    public func prepare(_ model: TransformerLM, seed: UInt64) throws -> String {
        model.mergeAdapters()
        guard let settings else {
            return "full fine-tuning: \(Self.count(model.trainableParameters)) trained weights"
        }
        do {
            try model.addAdapters(settings, seed: seed)
        } catch let error as LoRAError {
            throw TrainingError.invalidConfig(error.problem)
        }
        model.storeFrozenWeights(as: frozenWeights)
        return Self.describe(model) + (frozenWeights == .bf16 ? ", frozen weights in bf16" : "")
    }

    /// One line on the adapters of `model`: rank, alpha, layers, trained and total weights.
    static func describe(_ model: TransformerLM) -> String {
        guard let settings = model.adapterSettings else { return "no LoRA adapters" }
        return
            "LoRA rank \(settings.rank), alpha \(settings.alpha) on \(model.adapters.count) layers (\(settings.targets.joined(separator: ","))): \(count(model.trainableParameters)) trained of \(model.parameterCount) weights"
    }

    static func count(_ tensors: [Tensor]) -> Int { tensors.reduce(0) { $0 + $1.count } }
}
