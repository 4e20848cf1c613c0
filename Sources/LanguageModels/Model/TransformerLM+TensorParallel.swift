import TensorEngine

extension TransformerLM {
    /// This rank's tensor-parallel shard of this (whole) model: the same weight names, each block holding its slice
    /// — `headCount`/T query heads, `kvHeadCount`/T key/value heads, `intermediateSize`/T of the MLP — and the
    /// embedding, norms and LM head whole. The weights are copied, frozen state and precision included, so the whole
    /// model can be dropped. Every rank of `parallelism` reads the same whole model and keeps its own slice; no
    /// collective runs here.
    public func sharded(over parallelism: TensorParallelism) throws -> TransformerLM {
        if tensorParallelism != nil { throw TensorParallelError("the model is already a tensor-parallel shard") }
        if let problem = config.tensorParallelProblem(ranks: parallelism.size) { throw TensorParallelError(problem) }
        if hasAdapters { throw TensorParallelError("tensor parallelism does not split LoRA adapters yet") }
        let shard = TransformerLM(structureOf: config, tensorParallelism: parallelism)
        shard.fill(from: self, axes: shard.splitAxes) { value, axis, _ in
            TensorParallelSlicing.slice(value, axis: axis, rank: parallelism.rank, of: parallelism.size)
        }
        return shard
    }

    /// The whole model, gathered from the shards of every rank of the group (on every rank): what a tensor-parallel
    /// run saves, so that its checkpoints are the same files as a one-process run's. A collective call of every rank
    /// of the group; a whole model returns a copy of itself.
    public func gathered() -> TransformerLM {
        guard let parallelism = tensorParallelism else { return copy() }
        let whole = TransformerLM(structureOf: config)
        whole.fill(from: self, axes: splitAxes) { value, axis, path in
            let blocks = parallelism.group.allGather(value.scalars, label: "gathering \(path)")
            return TensorParallelSlicing.join(blocks, blockShape: value.shape, axis: axis, count: parallelism.size)
        }
        return whole
    }

    /// For each of `tensors` (weights of this model, e.g. its trainable parameters): the axis along which it is split
    /// over the tensor-parallel ranks, or nil when every rank holds it whole (embedding, norms, LM head) or the model
    /// is not a shard. What a trainer needs to sum a gradient norm over the shards and to gather or slice per-weight
    /// state such as AdamW's moments.
    public func shardAxes(of tensors: [Tensor]) -> [Int?] {
        guard tensorParallelism != nil else { return tensors.map { _ in nil } }
        let axes = splitAxes
        var byTensor: [ObjectIdentifier: Int] = [:]
        for (path, parameter) in parameterSlots {
            if let axis = axes[path], let tensor = parameter.tensorIfPresent {
                byTensor[ObjectIdentifier(tensor)] = axis
            }
        }
        return tensors.map { byTensor[ObjectIdentifier($0)] }
    }

    /// The whole tensors of `values` — each this shard's block along `axes` (nil: held whole, returned as it is) —
    /// gathered from every rank of the group, in rank order. A collective call of every rank of the group.
    public func gatheredShards(_ values: [Tensor], axes: [Int?], label: String) -> [Tensor] {
        guard let parallelism = tensorParallelism else { return values }
        return zip(values, axes).map { value, axis in
            guard let axis else { return value }
            let blocks = parallelism.group.allGather(value.scalars, label: label)
            return TensorParallelSlicing.join(blocks, blockShape: value.shape, axis: axis, count: parallelism.size)
        }
    }

    /// This rank's blocks of whole tensors `values` along `axes` (nil: kept whole): the inverse of `gatheredShards`.
    public func shardSlices(_ values: [Tensor], axes: [Int?]) -> [Tensor] {
        guard let parallelism = tensorParallelism else { return values }
        return zip(values, axes).map { value, axis in
            axis.map { TensorParallelSlicing.slice(value, axis: $0, rank: parallelism.rank, of: parallelism.size) }
                ?? value
        }
    }

    /// Fills this model's weights from `source`'s of the same names — each split weight (its path in `axes`) through
    /// `convert` (value, axis, path), every other copied — with their frozen state and precision.
    private func fill(from source: TransformerLM, axes: [String: Int], convert: (Tensor, Int, String) -> Tensor) {
        let from = Dictionary(uniqueKeysWithValues: source.parameterSlots.map { ($0.path, $0.parameter) })
        for (path, parameter) in parameterSlots {
            guard let original = from[path] else { continue }
            parameter.setFrozen(original.isFrozen)
            guard let axis = axes[path], let value = original.tensorIfPresent else {
                parameter.installCopy(of: original)
                continue
            }
            parameter.install(convert(value, axis, path))
            if original.bfloat16 != nil { parameter.storeAsBFloat16() }
        }
    }

    /// The axis along which each split weight is sliced, by path: rows of the weights and biases split by output,
    /// columns of the weights split by input (their bias is whole).
    var splitAxes: [String: Int] {
        var axes: [String: Int] = [:]
        for (path, linear) in linearLayers {
            guard let (split, _) = linear.split else { continue }
            // Weights are [out, in] in the families tensor parallelism supports (never GPT-2's Conv1D).
            switch split {
            case .outputs:
                axes[path + ".weight"] = 0
                axes[path + ".bias"] = 0
            case .inputs:
                axes[path + ".weight"] = 1
            }
        }
        return axes
    }
}

/// Why a model cannot be split over (or saved from) tensor-parallel ranks; `description` is one line.
public struct TensorParallelError: Error, CustomStringConvertible, Equatable {
    /// What is wrong.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}

/// Cutting a weight into the ranks' blocks along one axis, and joining the blocks back.
enum TensorParallelSlicing {
    /// Block `rank` of `count` equal blocks of `value` along `axis` (0 or 1), as a new tensor off the graph.
    static func slice(_ value: Tensor, axis: Int, rank: Int, of count: Int) -> Tensor {
        let width = value.shape[axis] / count
        return withNoGrad { value.slice(axis: axis, (rank * width)..<((rank + 1) * width)) }
    }

    /// The tensor whose blocks along `axis` are `blocks` (each rank's, `blockShape`, concatenated in rank order).
    static func join(_ blocks: [Float], blockShape: [Int], axis: Int, count: Int) -> Tensor {
        var shape = blockShape
        shape[axis] *= count
        // Row blocks (axis 0) concatenate as they are; column blocks interleave row by row.
        if axis == 0 { return Tensor(shape: shape, scalars: blocks) }
        let rows = blockShape[0], width = blockShape[1], per = rows * width
        var joined = [Float](repeating: 0, count: blocks.count)
        for r in 0..<count {
            for row in 0..<rows {
                for j in 0..<width { joined[row * width * count + r * width + j] = blocks[r * per + row * width + j] }
            }
        }
        return Tensor(shape: shape, scalars: joined)
    }
}
