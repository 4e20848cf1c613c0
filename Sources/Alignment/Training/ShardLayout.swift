import Collectives
import LanguageModels
import TensorEngine

/// How a tensor-parallel shard's trainable weights relate to the whole model's: what `TrainingLoop` needs to clip the
/// gradient norm of the whole model and to write and resume checkpoints that any number of ranks can read.
public struct ShardLayout {
    /// The ranks the model is split over.
    public let group: any Communicator
    /// For each trainable weight (in `trainableParameters` order): the axis it is split along, nil when whole.
    public let axes: [Int?]
    /// The whole tensor of a per-weight value shaped like the shard's, split along the axis (collective over `group`).
    public let gather: (Tensor, Int) -> Tensor
    /// This rank's block of a whole per-weight value along the axis.
    public let slice: (Tensor, Int) -> Tensor
    /// The whole model gathered from the shards, to save (collective over `group`).
    public let wholeModel: () -> any TrainableModel

    /// The gradient norm of the whole model: the split weights' squares summed over the group, the whole ones (the
    /// same on every rank) counted once. Scales the gradients by maxNorm / norm when that is below 1, as
    /// `clipGradNorm` does; returns the norm.
    func clipGradNorm(_ parameters: [Tensor], maxNorm: Float, label: String) -> Float {
        var split = 0.0, whole = 0.0
        for (p, axis) in zip(parameters, axes) {
            guard let g = p.grad else { continue }
            let squares = g.withUnsafeBufferPointer { $0.reduce(0.0) { $0 + Double($1 * $1) } }
            if axis == nil { whole += squares } else { split += squares }
        }
        let norm = Float((group.allReduceSum(split, label: label) + whole).squareRoot())
        let coefficient = maxNorm / (norm + 1e-6)
        guard norm.isFinite, coefficient < 1 else { return norm }
        for p in parameters {
            p.grad?.withUnsafeMutableBufferPointer { g in for i in g.indices { g[i] *= coefficient } }
        }
        return norm
    }

    /// An optimizer state whose per-weight buffers (`"<buffer>.<index>"`) of split weights went through `transform`
    /// (a buffer and its weight's axis); the others are kept.
    func mapSplitBuffers(_ state: OptimizerState, _ transform: (Tensor, Int) -> Tensor) -> OptimizerState {
        var result = state
        // In name order, so that every rank of the group runs the same collectives in the same order.
        for name in state.tensors.keys.sorted() {
            guard let index = name.split(separator: ".").last.flatMap({ Int($0) }), index < axes.count,
                let axis = axes[index]
            else { continue }
            result.tensors[name] = transform(state.tensors[name]!, axis)
        }
        return result
    }
}

extension TransformerLM {
    /// The layout of this shard's trainable weights (nil for a whole model).
    public var shardLayout: ShardLayout? {
        guard let parallelism = tensorParallelism else { return nil }
        return ShardLayout(
            group: parallelism.group, axes: shardAxes(of: trainableParameters),
            gather: { [self] value, axis in gatheredShards([value], axes: [axis], label: "gathering a state").first! },
            slice: { [self] value, axis in shardSlices([value], axes: [axis]).first! },
            wholeModel: { [self] in gathered() })
    }
}
