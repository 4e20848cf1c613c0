import Foundation
import TensorEngine

/// A transformer backbone with a scalar head — the shape of a reward model (score at the last real token) and of a
/// PPO critic (a value per position).
///
/// Saved as the backbone in Hugging Face layout (`config.json`, `model.safetensors`, so `TransformerLM.load` still
/// reads it, e.g. to start a policy from it) plus a head file holding `score.weight` [1, hidden] and `score.bias` [1]
/// (transformers' names for a sequence-classification head).
open class ScalarHeadModel {
    /// The transformer producing hidden states. Its LM head, when untied, is kept so the saved directory is still a
    /// complete language model, but never trained.
    public let backbone: TransformerLM
    /// The scalar head.
    public let head: ScalarHead

    /// A model of `backbone` and `head`; throws if the head's width is not the backbone's.
    public init(backbone: TransformerLM, head: ScalarHead) throws {
        if head.weight.shape != [1, backbone.config.hiddenSize] {
            throw ModelLoadingError(
                "scalar head",
                "weight \(head.weight.shape) does not fit a backbone of width \(backbone.config.hiddenSize)")
        }
        self.backbone = backbone
        self.head = head
    }

    /// The weights: the decoder's (a tied LM head is the embedding and is among them), then the head's.
    public var parameters: [Tensor] { backbone.decoder.parameters + head.parameters }

    /// The weights training updates, in `parameters`' order: all of them, or with LoRA the adapters' and the head's.
    public var trainableParameters: [Tensor] {
        backbone.decoder.trainableParameters + head.trainableParameters
    }

    /// Whether training keeps only each block's input and recomputes the block in the backward pass.
    public var checkpointsActivations: Bool {
        get { backbone.checkpointsActivations }
        set { backbone.checkpointsActivations = newValue }
    }

    /// Whether a taped forward drops the activations a block recomputes cheaply in the backward pass (on by default).
    public var recomputesActivations: Bool {
        get { backbone.recomputesActivations }
        set { backbone.recomputesActivations = newValue }
    }

    /// Marks the trained weights as trainable (or frozen).
    public func setTrainable(_ trainable: Bool) {
        backbone.decoder.setTrainable(trainable)
        head.setTrainable(trainable)
    }

    /// The head's value at every position of `ids` [B, T] → [B, T] (differentiable when gradients are on);
    /// `attentionMask` [B, T] masks left padding.
    public func values(_ ids: IntTensor, attentionMask: Tensor? = nil) -> Tensor {
        head(backbone.hiddenStates(ids, attentionMask: attentionMask))
    }

    /// Writes the backbone (Hugging Face layout) and the head into `directory`, the head as `headFile`; `role` names
    /// the head in errors.
    public func save(to directory: URL, headFile: String, role: String) throws {
        try backbone.save(to: directory)
        let file = directory.appendingPathComponent(headFile)
        do {
            let tensors = Dictionary(uniqueKeysWithValues: head.namedParameters.map { ($0.0, $0.1.detached()) })
            try Safetensors.write(tensors, metadata: ["format": "pt"], to: file)
        } catch {
            throw ModelLoadingError(
                file.path, "cannot write the \(role): \((error as? SafetensorsError)?.problem ?? "\(error)")")
        }
    }

    /// Restores into this model what a LoRA run trains — the backbone's adapter weights and the head — from
    /// `directory` (saved by `save(to:headFile:role:)`), leaving the frozen base as it is
    /// (`TransformerLM.restoreAdapterWeights(from:)`).
    public func restoreTrainedWeights(from directory: URL, headFile: String) throws {
        let file = directory.appendingPathComponent(headFile)
        let loaded: ScalarHead
        do { loaded = try ScalarHead.load(from: file, hiddenSize: backbone.config.hiddenSize) } catch let
            error as SafetensorsError
        {
            throw ModelLoadingError(file.path, error.problem)
        }
        try backbone.restoreAdapterWeights(from: directory)
        head.copyWeights(from: loaded)
    }

    /// Reads the backbone and the head (`headFile`) saved by `save(to:headFile:role:)`.
    public static func loadParts(directory: URL, headFile: String) throws -> (TransformerLM, ScalarHead) {
        let backbone = try TransformerLM.load(directory: directory)
        return (
            backbone,
            try ScalarHead.load(
                from: directory.appendingPathComponent(headFile), hiddenSize: backbone.config.hiddenSize)
        )
    }
}

extension ScalarHead {
    /// Reads a head file (`score.weight` [1, hidden], `score.bias` [1]) for a backbone of width `hiddenSize`.
    public static func load(from file: URL, hiddenSize: Int) throws -> ScalarHead {
        let tensors = try Safetensors.read(file)
        let head = ScalarHead(hiddenSize: hiddenSize)
        try head.load(WeightSet(tensors, source: file.path))
        return head
    }
}
