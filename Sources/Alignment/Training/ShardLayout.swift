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
        let split = zip(parameters, axes).filter { $0.1 != nil }.map(\.0)
        let whole = zip(parameters, axes).filter { $0.1 == nil }.map(\.0)
        let squares = group.allReduceSum(gradientSquareSum(split), label: label) + gradientSquareSum(whole)
        let norm = Float(squares.squareRoot())
        scaleGradients(parameters, toNorm: maxNorm, from: norm)
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

extension ShardLayout {
    /// The layout of a model whose split weights are those of the tensor-parallel shard `lm` (nil when `lm` is
    /// whole): `trainable` are the model's trainable weights (others than `lm`'s, such as a scalar head, are whole),
    /// `wholeModel` gathers the model.
    init?(shard lm: TransformerLM, trainable: [Tensor], wholeModel: @escaping () -> any TrainableModel) {
        guard let parallelism = lm.tensorParallelism else { return nil }
        self.init(
            group: parallelism.group, axes: lm.shardAxes(of: trainable),
            gather: { value, axis in lm.gatheredShards([value], axes: [axis], label: "gathering a state").first! },
            slice: { value, axis in lm.shardSlices([value], axes: [axis]).first! }, wholeModel: wholeModel)
    }
}

/// A trainer's tensor parallelism: every rank of the run, this rank's data-parallel group (the ranks holding the same
/// shard), and how a whole model resumed from a checkpoint becomes this rank's shard. The model given to the trainer
/// is already a shard.
public struct TensorParallelTraining<Model> {
    /// Every rank of the run.
    public let world: any Communicator
    /// The ranks holding the same shard as this one.
    public let data: any Communicator
    /// Splits a whole model into this rank's shard.
    public let shard: (Model) throws -> Model

    /// The parallelism of `world`, `data` and `shard`.
    public init(world: any Communicator, data: any Communicator, shard: @escaping (Model) throws -> Model) {
        (self.world, self.data, self.shard) = (world, data, shard)
    }
}

extension TensorParallelTraining where Model: TrainableModel {
    /// Sets `loop` up to train on the shards.
    func configure(_ loop: inout TrainingLoop<Model>) {
        (loop.world, loop.communicator, loop.shard) = (world, data, shard)
    }
}

extension TrainableModel {
    /// The whole model: on a tensor-parallel shard gathered from its group (a collective call of every rank of it),
    /// otherwise the model itself.
    public func gatheredModel() -> any TrainableModel {
        shardLayout?.wholeModel() ?? self
    }

    /// What a checkpoint holds of this model and its optimizer: the whole model and the whole optimizer state (on a
    /// shard gathered from its group, a collective call of every rank of it).
    func checkpointParts(_ optimizer: any Optimizer) -> (model: any TrainableModel, optimizerState: OptimizerState) {
        guard let layout = shardLayout else { return (self, optimizer.state()) }
        return (layout.wholeModel(), layout.mapSplitBuffers(optimizer.state(), layout.gather))
    }

    /// A whole model's optimizer state, read from a checkpoint, as this model takes it: on a shard, its blocks.
    func shardedOptimizerState(_ state: OptimizerState) -> OptimizerState {
        shardLayout.map { $0.mapSplitBuffers(state, $0.slice) } ?? state
    }

    /// Clips the trainable weights' gradients to `maxNorm` and returns their norm: the whole model's, summed over the
    /// shards on a tensor-parallel shard (`label` names that all-reduce).
    func clipGradientNorm(maxNorm: Float, label: String) -> Float {
        shardLayout?.clipGradNorm(trainableParameters, maxNorm: maxNorm, label: label)
            ?? clipGradNorm(trainableParameters, maxNorm: maxNorm)
    }
}

extension TransformerLM {
    /// The layout of this shard's trainable weights (nil for a whole model).
    public var shardLayout: ShardLayout? {
        ShardLayout(shard: self, trainable: trainableParameters, wholeModel: { [self] in gathered() })
    }
}

extension ValueModel {
    /// The layout of a critic on a tensor-parallel backbone: the backbone's split weights; the head is whole.
    public var shardLayout: ShardLayout? {
        ShardLayout(shard: backbone, trainable: trainableParameters) { [self] in
            ValueModel(backbone: backbone.gathered(), head: head)
        }
    }
}

extension RewardModel {
    /// The layout of a reward model on a tensor-parallel backbone: the backbone's split weights; the head is whole.
    public var shardLayout: ShardLayout? {
        ShardLayout(shard: backbone, trainable: trainableParameters) { [self] in
            // The head's width is the backbone's, as when this model was made.
            try! RewardModel(backbone: backbone.gathered(), head: head)
        }
    }
}
