import Foundation
import LanguageModels
import TensorEngine

/// The PPO critic: a transformer backbone with a scalar value head, one value per prediction position.
///
/// Saved like a reward model: the backbone in Hugging Face layout plus `value_head.safetensors` (`score.weight`
/// [1, hidden], `score.bias` [1]).
public final class ValueModel: TrainableModel {
    /// The transformer producing hidden states.
    public let backbone: TransformerLM
    /// The value head.
    public let head: ScalarHead

    /// The file beside the backbone that holds the head.
    public static let headFileName = "value_head.safetensors"

    /// A critic of `backbone` and `head` (the widths must match).
    public init(backbone: TransformerLM, head: ScalarHead) {
        precondition(head.weight.shape == [1, backbone.config.hiddenSize], "value head does not fit the backbone")
        self.backbone = backbone
        self.head = head
    }

    /// A critic initialised from a reward model (a copy of its backbone and score head): it starts out predicting
    /// the reward, the usual choice (InstructGPT, ChatGLM-RLHF).
    public convenience init(copying rewardModel: RewardModel) {
        let head = try! ScalarHead(weight: rewardModel.head.weight.copy(), bias: rewardModel.head.bias.copy(),
                                   hiddenSize: rewardModel.backbone.config.hiddenSize, source: "reward model")
        self.init(backbone: rewardModel.backbone.copy(), head: head)
    }

    /// A critic initialised from a language model (a copy) with a fresh head, deterministic for `seed`.
    public convenience init(copying model: TransformerLM, seed: UInt64) {
        self.init(backbone: model.copy(), head: ScalarHead(hiddenSize: model.config.hiddenSize, seed: seed))
    }

    /// The trained weights: the backbone without an untied LM head (values never reach it), then the head.
    public var parameters: [Tensor] {
        backbone.namedParameters.filter { $0.0 != "lm_head.weight" }.map(\.1) + head.parameters
    }

    /// Marks the trained weights as trainable (or frozen).
    public func setTrainable(_ trainable: Bool) {
        for p in parameters { p.requiringGrad(trainable) }
    }

    /// Values [B, T − 1] at the prediction positions of `batch` (differentiable when gradients are on).
    public func values(_ batch: ResponseBatch) -> Tensor {
        head(backbone.hiddenStates(batch.inputs))
    }

    /// Writes the backbone (Hugging Face layout) and the head file into `directory`.
    public func save(to directory: URL) throws {
        try backbone.save(to: directory)
        try head.save(to: directory.appendingPathComponent(Self.headFileName), role: "value head")
    }

    /// Loads a critic saved by `save(to:)`.
    public static func load(directory: URL) throws -> ValueModel {
        let file = directory.appendingPathComponent(headFileName)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw ModelLoadingError(directory.path, "no \(headFileName): not a critic checkpoint")
        }
        let backbone = try TransformerLM.load(directory: directory)
        return ValueModel(backbone: backbone, head: try ScalarHead.load(from: file, hiddenSize: backbone.config.hiddenSize))
    }
}
