import TensorEngine

/// One decoder layer: attention and MLP with their norms and residuals.
protocol TransformerBlock {
    /// Applies the layer to the residual stream [B, T, D].
    func callAsFunction(_ x: Tensor, layer: Int, context: AttentionContext) -> Tensor
    /// The layer's weights with their Hugging Face names.
    var namedParameters: [(String, Tensor)] { get }
    /// Every matrix the layer multiplies activations by, for packing before decoding.
    var projections: [Projection] { get }
}

/// A weight matrix with its bias, as a block applies it: stored [out, in] (torch Linear) or [in, out] (Conv1D).
struct Projection {
    let weight: Tensor
    let bias: Tensor?
    let transposed: Bool
}

extension AttentionContext {
    /// `x·Wᵀ + b` for a weight stored [out, in] (torch Linear); from the packed copy when decoding a few rows.
    @inline(__always)
    func project(_ x: Tensor, _ w: Tensor, _ b: Tensor?) -> Tensor {
        if let packed = decodingWeights?.packed(w, rows: x.count / max(x.shape.last!, 1)) { return packed(x) }
        return linear(x, weight: w, bias: b)
    }

    /// `x·W + b` for a weight stored [in, out] (GPT-2's Conv1D); from the packed copy when decoding a few rows.
    @inline(__always)
    func conv1D(_ x: Tensor, _ w: Tensor, _ b: Tensor) -> Tensor {
        if let packed = decodingWeights?.packed(w, rows: x.count / max(x.shape.last!, 1)) { return packed(x) }
        return matmul(x, w) + b
    }
}
