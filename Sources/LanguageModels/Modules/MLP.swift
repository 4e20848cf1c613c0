import TensorEngine

/// The feed-forward half of a block: GELU (tanh) between two projections (GPT-2), or SwiGLU — separate gate and up
/// projections (Llama, Qwen) or one fused [gate | up] matrix (GLM-4). A tensor-parallel shard (SwiGLU only) holds
/// its rank's slice of the hidden layer: gate and up split by output, down by input (`TensorParallelism`).
public final class MLP: Module {
    /// SwiGLU's gate (nil for GELU and when fused).
    public let gate: Linear?
    /// The widening projection: SwiGLU's up, GELU's first, or GLM-4's fused [gate | up].
    public let up: Linear
    /// The narrowing projection.
    public let down: Linear
    let shape: ModelFamily.FeedForward
    /// The ranks the hidden layer is split over (nil: all of it here).
    let parallelism: TensorParallelism?

    /// The MLP of a model of `config` — with `parallelism`, this rank's shard, `config` being the shard's.
    init(key: WeightKey, config c: ModelConfig, names n: WeightNames, parallelism: TensorParallelism? = nil) {
        let d = c.hiddenSize, i = c.intermediateSize
        shape = c.family.feedForward
        self.parallelism = parallelism
        precondition(parallelism == nil || shape == .swiGLU, "tensor parallelism splits only separate gate and up")
        switch shape {
        case .gelu:
            gate = nil
            up = Linear(key: n.up, inputs: d, outputs: i, bias: .required, layout: .inputsByOutputs)
            down = Linear(key: n.down, inputs: i, outputs: d, bias: .required, layout: .inputsByOutputs)
        case .fusedSwiGLU:
            gate = nil
            up = Linear(key: n.gateUp, inputs: d, outputs: 2 * i, bias: nil)
            down = Linear(key: n.down, inputs: i, outputs: d, bias: .ifPresent)
        case .swiGLU:
            let bias: Parameter.Presence = c.mlpBias ? .required : .ifPresent
            let byOutput = parallelism.map { (TensorParallelSplit.outputs, $0) }
            gate = Linear(key: n.gate, inputs: d, outputs: i, bias: bias, split: byOutput)
            up = Linear(key: n.up, inputs: d, outputs: i, bias: bias, split: byOutput)
            down = Linear(key: n.down, inputs: i, outputs: d, bias: bias, split: parallelism.map { (.inputs, $0) })
        }
        super.init(key: key)
    }

    /// Applies the MLP to `x` [..., D]. The hidden activation, the widest of a block, is recomputed in the backward
    /// pass from the projections its own backward keeps anyway (`recomputedInBackward`).
    func callAsFunction(_ x: Tensor) -> Tensor {
        switch shape {
        case .gelu:
            let widened = up(x)
            return recomputedInBackward({ widened.gelu(approximate: .tanh) }, readBy: down.callAsFunction)
        case .swiGLU:
            let input = parallelism?.enteringShards(x) ?? x
            let projected = Linear.applying([gate!, up], to: input)
            let (g, u) = (projected[0], projected[1])
            return recomputedInBackward({ swiglu(gate: g, up: u) }, readBy: down.callAsFunction)
        case .fusedSwiGLU:
            let both = up(x), i = both.shape.last! / 2
            let (g, u) = (both.slice(axis: -1, 0..<i), both.slice(axis: -1, i..<(2 * i)))
            return recomputedInBackward({ swiglu(gate: g, up: u) }, readBy: down.callAsFunction)
        }
    }
}
