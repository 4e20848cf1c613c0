import TensorEngine

/// The feed-forward half of a block: GELU (tanh) between two projections (GPT-2), or SwiGLU — separate gate and up
/// projections (Llama, Qwen) or one fused [gate | up] matrix (GLM-4).
public final class MLP: Module {
    /// SwiGLU's gate (nil for GELU and when fused).
    public let gate: Linear?
    /// The widening projection: SwiGLU's up, GELU's first, or GLM-4's fused [gate | up].
    public let up: Linear
    /// The narrowing projection.
    public let down: Linear
    let shape: ModelFamily.FeedForward

    init(key: WeightKey, config c: ModelConfig, names n: WeightNames) {
        let d = c.hiddenSize, i = c.intermediateSize
        shape = c.family.feedForward
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
            gate = Linear(key: n.gate, inputs: d, outputs: i, bias: bias)
            up = Linear(key: n.up, inputs: d, outputs: i, bias: bias)
            down = Linear(key: n.down, inputs: i, outputs: d, bias: bias)
        }
        super.init(key: key)
    }

    /// Applies the MLP to `x` [..., D].
    func callAsFunction(_ x: Tensor) -> Tensor {
        switch shape {
        case .gelu:
            return down(up(x).gelu(approximate: .tanh))
        case .swiGLU:
            return down(swiglu(gate: gate!(x), up: up(x)))
        case .fusedSwiGLU:
            let both = up(x), i = both.shape.last! / 2
            return down(swiglu(gate: both.slice(axis: -1, 0..<i), up: both.slice(axis: -1, i..<(2 * i))))
        }
    }
}
