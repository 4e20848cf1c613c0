import TensorEngine

/// A dense layer `y = x·Wᵀ + b`. The weight is stored as torch's `Linear` keeps it, [out, in], or — GPT-2's
/// `Conv1D` — transposed, [in, out]; the layer hides which.
public final class Linear: Module {
    /// How the weight matrix is laid out in checkpoints.
    public enum Layout: Sendable {
        /// [out, in] (torch `nn.Linear`).
        case outputsByInputs
        /// [in, out] (GPT-2's `Conv1D`).
        case inputsByOutputs
    }

    /// Input features.
    public let inputs: Int
    /// Output features.
    public let outputs: Int
    /// The weight's layout.
    public let layout: Layout
    /// The matrix.
    public let weight: Parameter
    /// The bias [out], when the layer has one.
    public let bias: Parameter?
    /// A low-rank adapter whose term is added to the output (`TransformerLM.addAdapters`), or nil.
    public internal(set) var adapter: LoRAAdapter?
    /// The weights packed for decoding a few rows at a time, while `Module.withDecodingPacks` runs.
    var decodingPack: PackedMatrix?
    /// How the layer is split over tensor-parallel ranks, and over which (nil: whole). `inputs` and `outputs` are
    /// then this rank's.
    public let split: (TensorParallelSplit, TensorParallelism)?

    /// A layer named `key` from `inputs` to `outputs` features; `bias` says whether it has a bias (`Parameter.Presence`),
    /// nil for never. A tensor-parallel shard (`split`) gives its own share of the features.
    public init(
        key: WeightKey, inputs: Int, outputs: Int, bias: Parameter.Presence?, layout: Layout = .outputsByInputs,
        split: (TensorParallelSplit, TensorParallelism)? = nil
    ) {
        self.inputs = inputs
        self.outputs = outputs
        self.layout = layout
        self.split = split
        weight = Parameter(
            "weight", shape: layout == .outputsByInputs ? [outputs, inputs] : [inputs, outputs],
            initializer: .normal)
        self.bias = bias.map { Parameter("bias", shape: [outputs], initializer: .zeros, presence: $0) }
        super.init(key: key)
    }

    /// `x·Wᵀ + b` (plus the adapter's term when one is on) over the last axis of `x` [..., in] → [..., out]; from the
    /// packed copy when decoding a few rows.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        if case let (.inputs, parallelism)? = split {
            // Row-parallel: the ranks' partial products summed, then the bias once.
            let y = parallelism.summingShards(base(x))
            return bias?.tensorIfPresent.map { y + $0 } ?? y
        }
        guard let adapter, adapter.isEnabled else { return base(x) }
        // Training an adapter on a frozen base, one op keeps one activation, not three; without a tape the op only
        // adds the low-rank term into the base's output (`lowRankAdapted`).
        if GradMode.enabled && !(weight.isFrozen && bias?.isFrozen ?? true) { return base(x) + adapter(x) }
        return lowRankAdapted(
            x, adapterInput: adapter.input(x), a: adapter.down.weight.tensor, b: adapter.up.weight.tensor,
            scale: adapter.scaling, base: base, baseInputGradient: baseInputGradient)
    }

    /// d(loss)/dx of the layer without its adapter, for the output gradient `g` [..., out].
    func baseInputGradient(_ g: Tensor) -> Tensor {
        if let half = weight.bfloat16 {
            return layout == .outputsByInputs ? matmul(g, half) : TensorEngine.linear(g, weight: half)
        }
        return matmul(g, weight.tensor, transposeB: layout == .inputsByOutputs)
    }

    /// The bias this rank adds to its product: none for a row-parallel shard, whose bias is added after the sum.
    private var ownBias: Tensor? {
        if case (.inputs, _)? = split { return nil }
        return bias?.tensorIfPresent
    }

    /// The layer without its adapter (for a row-parallel shard, this rank's partial product).
    func base(_ x: Tensor) -> Tensor {
        if let decodingPack, x.count / max(x.shape.last!, 1) <= DecodingPacks.maxRows { return decodingPack(x) }
        let b = ownBias
        if let half = weight.bfloat16 {
            switch layout {
            case .outputsByInputs: return TensorEngine.linear(x, weight: half, bias: b)
            case .inputsByOutputs: return matmul(x, half, bias: b)
            }
        }
        switch layout {
        case .outputsByInputs: return TensorEngine.linear(x, weight: weight.tensor, bias: b)
        case .inputsByOutputs:
            let y = matmul(x, weight.tensor)
            return b.map { y + $0 } ?? y
        }
    }

    /// The weights packed for streaming through a decoding step.
    func pack() -> PackedMatrix {
        if let half = weight.bfloat16 {
            return PackedMatrix.decoding(half, transposed: layout == .outputsByInputs, bias: ownBias)
        }
        return PackedMatrix(weight.tensor, transposed: layout == .outputsByInputs, bias: ownBias)
    }
}
