import Foundation
import LanguageModels
import TensorEngine

/// What the shared training loop and checkpoints need of a model: its trainable weights, a switch for their
/// gradients, and a way to save it so a checkpoint can hold it.
public protocol TrainableModel: AnyObject {
    /// The weights the optimizer updates (not the frozen ones, e.g. a LoRA base), in a fixed order (the optimizer's
    /// state is indexed by it).
    var trainableParameters: [Tensor] { get }
    /// Marks every trainable weight as trainable (or frozen).
    func setTrainable(_ trainable: Bool)
    /// Whether the forward pass keeps only each block's input and recomputes the rest in the backward pass.
    var checkpointsActivations: Bool { get set }
    /// Whether the forward pass drops the activations a block recomputes cheaply in the backward pass (selective
    /// recomputation).
    var recomputesActivations: Bool { get set }
    /// Writes the model into `directory` (created if needed) so that it can be loaded back exactly.
    func save(to directory: URL) throws
    /// With tensor parallelism, how this shard's trainable weights relate to the whole model's; nil for a whole model.
    var shardLayout: ShardLayout? { get }
}

extension TrainableModel {
    /// A whole model (models that cannot be split).
    public var shardLayout: ShardLayout? { nil }
}

extension TransformerLM: TrainableModel {}
