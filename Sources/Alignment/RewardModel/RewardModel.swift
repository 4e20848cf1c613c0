import Foundation
import LanguageModels
import TensorEngine

/// A reward model (ChatGLM-RLHF §2): a language-model backbone with a scalar head; the score of a (prompt, response)
/// sequence is the head's value at its last real token. Saved with its head in `reward_head.safetensors`.
public final class RewardModel: ScalarHeadModel, TrainableModel {
    /// The file beside the backbone that holds the head.
    public static let headFileName = "reward_head.safetensors"

    /// A reward model of `backbone` and `head`; throws if the head's width is not the backbone's.
    override public init(backbone: TransformerLM, head: ScalarHead) throws {
        try super.init(backbone: backbone, head: head)
    }

    /// A reward model with a fresh head: normal(0, `headStd`) weight and zero bias, deterministic for `headSeed`.
    public convenience init(backbone: TransformerLM, headSeed: UInt64, headStd: Float) {
        // The widths match by construction.
        try! self.init(
            backbone: backbone, head: ScalarHead(hiddenSize: backbone.config.hiddenSize, seed: headSeed, std: headStd))
    }

    /// Scores [B] of token `ids` [B, T] whose real tokens are marked by `attentionMask` [B, T] (1 real, 0 padding).
    /// Right padding needs no key mask (causal attention never lets a real token see the padding after it); left
    /// padding is masked.
    public func scores(_ ids: IntTensor, attentionMask: Tensor) -> Tensor {
        let mask = attentionMask.scalars
        let t = ids.shape[1]
        let rightPadded = (0..<ids.shape[0]).allSatisfy { row in
            mask[row * t] != 0 || !mask[(row * t)..<((row + 1) * t)].contains(where: { $0 != 0 })
        }
        return lastTokenValues(
            values(ids, attentionMask: rightPadded ? nil : attentionMask), attentionMask: attentionMask)
    }

    /// Writes the backbone (Hugging Face layout) and the head file into `directory`.
    public func save(to directory: URL) throws {
        try save(to: directory, headFile: Self.headFileName, role: "reward head")
    }

    /// Whether `directory` holds a reward head (else it is a plain language model).
    public static func hasHead(in directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(headFileName).path)
    }

    /// Loads a reward model saved by `save(to:)`.
    public static func load(directory: URL) throws -> RewardModel {
        // The head first: a path that is no reward model at all should say so, not that it lacks a config.json.
        guard hasHead(in: directory) else {
            throw ModelLoadingError(
                directory.path, "no \(headFileName): not a reward model (train one with `rlhf rm train`)")
        }
        let (backbone, head) = try loadParts(directory: directory, headFile: headFileName)
        return try RewardModel(backbone: backbone, head: head)
    }
}
