import TensorEngine

/// A linear map from hidden states to one number per token: the PPO critic's value head, and (read at the last real
/// token) the reward model's score head. Stored like transformers' `score` layer: `weight` [1, hidden], `bias` [1].
public final class ScalarHead: Module {
    /// The projection to one output.
    let projection: Linear

    /// transformers' name for a sequence-classification head.
    public static let key = WeightKey("score", gguf: nil)

    init(hiddenSize: Int) {
        projection = Linear(key: Self.key, inputs: hiddenSize, outputs: 1, bias: .defaulted)
        super.init(key: WeightKey("", gguf: nil))
    }

    /// A fresh head: normal(0, `std`) weight, zero bias. Deterministic for a seed.
    public convenience init(hiddenSize: Int, seed: UInt64, std: Float = 0.02) {
        self.init(hiddenSize: hiddenSize)
        initialize(seed: seed, std: std)
    }

    /// A head from saved tensors; `source` names the file in errors.
    public convenience init(weight: Tensor, bias: Tensor?, hiddenSize: Int, source: String) throws {
        self.init(hiddenSize: hiddenSize)
        if weight.shape != [1, hiddenSize] {
            throw ModelLoadingError(source, "head weight has shape \(weight.shape), expected [1, \(hiddenSize)]")
        }
        if let bias, bias.shape != [1] {
            throw ModelLoadingError(source, "head bias has shape \(bias.shape), expected [1]")
        }
        projection.weight.install(weight)
        projection.bias?.install(bias ?? Tensor.zeros([1]))
    }

    /// [1, hidden].
    public var weight: Tensor { projection.weight.tensor }
    /// [1].
    public var bias: Tensor { projection.bias!.tensor }

    /// One value per token: hidden [B, T, hidden] → [B, T].
    public func callAsFunction(_ hidden: Tensor) -> Tensor {
        let (b, t) = (hidden.shape[0], hidden.shape[1])
        return projection(hidden).reshaped([b, t])
    }
}

/// Each row's value at its last real token: values [B, T] with `attentionMask` [B, T] (1 real, 0 padding; left or
/// right padding) → [B]. The reward model's score of a sequence.
public func lastTokenValues(_ values: Tensor, attentionMask: Tensor) -> Tensor {
    if values.rank != 2 || attentionMask.shape != values.shape {
        engineFailure(
            "lastTokenValues", "values \(values.shape) and mask \(attentionMask.shape) must both be [batch, time]")
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
