import TensorEngine

/// A linear map from hidden states to one number per token: the PPO critic's value head, and (read at the last real
/// token) the reward model's score head. Stored like transformers' `score` layer: `weight` [1, hidden], `bias` [1].
public final class ScalarHead {
    /// [1, hidden].
    public let weight: Tensor
    /// [1].
    public let bias: Tensor

    /// A fresh head: normal(0, `std`) weight, zero bias. Deterministic for a seed.
    public init(hiddenSize: Int, seed: UInt64, std: Float = 0.02) {
        var generator = RandomGenerator(seed: seed)
        weight = Tensor.randn([1, hiddenSize], std: std, generator: &generator)
        bias = Tensor.zeros([1])
    }

    /// A head from saved tensors; `source` names the file in errors.
    public init(weight: Tensor, bias: Tensor?, hiddenSize: Int, source: String) throws {
        if weight.shape != [1, hiddenSize] {
            throw ModelLoadingError(source, "head weight has shape \(weight.shape), expected [1, \(hiddenSize)]")
        }
        if let bias, bias.shape != [1] { throw ModelLoadingError(source, "head bias has shape \(bias.shape), expected [1]") }
        self.weight = weight
        self.bias = bias ?? Tensor.zeros([1])
    }

    /// The head's weights.
    public var parameters: [Tensor] { [weight, bias] }

    /// One value per token: hidden [B, T, hidden] → [B, T].
    public func callAsFunction(_ hidden: Tensor) -> Tensor {
        let (b, t) = (hidden.shape[0], hidden.shape[1])
        return linear(hidden, weight: weight, bias: bias).reshaped([b, t])
    }
}

/// Each row's value at its last real token: values [B, T] with `attentionMask` [B, T] (1 real, 0 padding; left or
/// right padding) → [B]. The reward model's score of a sequence.
public func lastTokenValues(_ values: Tensor, attentionMask: Tensor) -> Tensor {
    if values.rank != 2 || attentionMask.shape != values.shape {
        engineFailure("lastTokenValues", "values \(values.shape) and mask \(attentionMask.shape) must both be [batch, time]")
    }
    let (b, t) = (values.shape[0], values.shape[1])
    let mask = attentionMask.scalars
    let last = (0..<b).map { row -> Int in
        guard let i = (0..<t).last(where: { mask[row * t + $0] != 0 }) else {
            engineFailure("lastTokenValues", "row \(row) has no real token")
        }
        return i
    }
    return values.gather(axis: 1, IntTensor(shape: [b, 1], scalars: last)).reshaped([b])
}
