import Foundation
import LanguageModels
import TensorEngine

/// The PPO critic: a transformer backbone with a scalar value head, one value per prediction position. Saved like a
/// reward model, with its head in `value_head.safetensors`.
public final class ValueModel: ScalarHeadModel, TrainableModel {
    /// The file beside the backbone that holds the head.
    public static let headFileName = "value_head.safetensors"

    /// A critic of `backbone` and `head` (the widths must match).
    override public init(backbone: TransformerLM, head: ScalarHead) {
        precondition(head.weight.shape == [1, backbone.config.hiddenSize], "value head does not fit the backbone")
        try! super.init(backbone: backbone, head: head)
    }

    /// A critic initialised from a reward model (a copy of its backbone and score head, every weight trainable even
    /// if the reward model's are frozen): it starts out predicting the reward, the usual choice (InstructGPT,
    /// ChatGLM-RLHF).
    public convenience init(copying rewardModel: RewardModel) {
        let head = ScalarHead(hiddenSize: rewardModel.backbone.config.hiddenSize, seed: 0)
        head.copyWeights(from: rewardModel.head)
        head.unfreeze()
        let backbone = rewardModel.backbone.copy()
        backbone.mergeAdapters()
        backbone.unfreeze()
        self.init(backbone: backbone, head: head)
    }

    /// A critic initialised from a language model (a copy) with a fresh head, deterministic for `seed`.
    public convenience init(copying model: TransformerLM, seed: UInt64) {
        self.init(backbone: model.copy(), head: ScalarHead(hiddenSize: model.config.hiddenSize, seed: seed))
    }

    /// Values [B, T − 1] at the prediction positions of `batch` (differentiable when gradients are on).
    public func values(_ batch: ResponseBatch) -> Tensor {
        values(batch.inputs)
    }

    /// Writes the backbone (Hugging Face layout) and the head file into `directory`.
    public func save(to directory: URL) throws {
        try save(to: directory, headFile: Self.headFileName, role: "value head")
    }

    /// Loads a critic saved by `save(to:)`.
    public static func load(directory: URL) throws -> ValueModel {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(headFileName).path) else {
            throw ModelLoadingError(directory.path, "no \(headFileName): not a critic checkpoint")
        }
        let (backbone, head) = try loadParts(directory: directory, headFile: headFileName)
        return ValueModel(backbone: backbone, head: head)
    }
}
