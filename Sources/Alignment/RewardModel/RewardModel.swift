import Foundation
import LanguageModels
import TensorEngine

/// A reward model (ChatGLM-RLHF §2): a language-model backbone with a scalar head; the score of a (prompt, response)
/// sequence is the head's value at its last real token.
///
/// Saved as the backbone in Hugging Face layout (`config.json`, `model.safetensors`, so `TransformerLM.load` still
/// reads it, e.g. to start a policy from it) plus `reward_head.safetensors` holding `score.weight` [1, hidden] and
/// `score.bias` [1] (transformers' name for a sequence-classification head).
public final class RewardModel: TrainableModel {
    /// The transformer producing hidden states.
    public let backbone: TransformerLM
    /// The scalar score head.
    public let head: ScalarHead

    /// The file beside the backbone that holds the head.
    public static let headFileName = "reward_head.safetensors"

    /// A reward model of `backbone` and `head`; throws if the head's width is not the backbone's.
    public init(backbone: TransformerLM, head: ScalarHead) throws {
        if head.weight.shape != [1, backbone.config.hiddenSize] {
            throw ModelLoadingError("reward head", "weight \(head.weight.shape) does not fit a backbone of width \(backbone.config.hiddenSize)")
        }
        self.backbone = backbone
        self.head = head
    }

    /// A reward model with a fresh head: normal(0, `headStd`) weight and zero bias, deterministic for `headSeed`.
    public convenience init(backbone: TransformerLM, headSeed: UInt64, headStd: Float) {
        // The widths match by construction.
        try! self.init(backbone: backbone, head: ScalarHead(hiddenSize: backbone.config.hiddenSize, seed: headSeed, std: headStd))
    }

    /// The trained weights: the backbone without its LM head (a score never reaches it; a tied head is the embedding
    /// and stays), then the score head.
    public var parameters: [Tensor] {
        backbone.namedParameters.filter { $0.0 != Self.unusedLMHead }.map(\.1) + head.parameters
    }

    /// The untied LM head's name; the backbone keeps it so the saved directory is still a complete language model.
    static let unusedLMHead = "lm_head.weight"

    /// Marks the trained weights as trainable (or frozen).
    public func setTrainable(_ trainable: Bool) {
        for p in parameters { p.requiringGrad(trainable) }
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
        let hidden = backbone.hiddenStates(ids, attentionMask: rightPadded ? nil : attentionMask)
        return lastTokenValues(head(hidden), attentionMask: attentionMask)
    }

    /// Writes the backbone (Hugging Face layout) and the head file into `directory`.
    public func save(to directory: URL) throws {
        try backbone.save(to: directory)
        try head.save(to: directory.appendingPathComponent(Self.headFileName), role: "reward head")
    }

    /// Whether `directory` holds a reward head (else it is a plain language model).
    public static func hasHead(in directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(headFileName).path)
    }

    /// Loads a reward model saved by `save(to:)`.
    public static func load(directory: URL) throws -> RewardModel {
        // The head first: a path that is no reward model at all should say so, not that it lacks a config.json.
        guard hasHead(in: directory) else {
            throw ModelLoadingError(directory.path, "no \(headFileName): not a reward model (train one with `rlhf rm train`)")
        }
        let backbone = try TransformerLM.load(directory: directory)
        let head = try ScalarHead.load(from: directory.appendingPathComponent(headFileName), hiddenSize: backbone.config.hiddenSize)
        return try RewardModel(backbone: backbone, head: head)
    }
}
