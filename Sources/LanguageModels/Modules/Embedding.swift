import TensorEngine

/// A lookup table: row `i` of `weight` [count, width] is the vector of id `i`.
public final class Embedding: Module {
    /// Rows of the table.
    public let count: Int
    /// Width of each vector.
    public let width: Int
    /// The table [count, width].
    public let weight: Parameter

    /// A table named `key` of `count` vectors of `width`.
    public init(key: WeightKey, count: Int, width: Int) {
        self.count = count
        self.width = width
        weight = Parameter("weight", shape: [count, width], initializer: .normal)
        super.init(key: key)
    }

    /// The vectors of `ids` [B, T] → [B, T, width].
    public func callAsFunction(_ ids: IntTensor) -> Tensor {
        if let half = weight.bfloat16 { return TensorEngine.embedding(half, ids) }
        return TensorEngine.embedding(weight.tensor, ids)
    }
}
