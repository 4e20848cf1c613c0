import TensorEngine

/// One decoder layer: attention and MLP with their norms and residuals.
protocol TransformerBlock {
    /// Applies the layer to the residual stream [B, T, D].
    func callAsFunction(_ x: Tensor, layer: Int, context: AttentionContext) -> Tensor
    /// The layer's weights with their Hugging Face names.
    var namedParameters: [(String, Tensor)] { get }
}

/// `x·Wᵀ + b` for a weight stored [out, in] (torch Linear).
@inline(__always)
func project(_ x: Tensor, _ w: Tensor, _ b: Tensor?) -> Tensor { linear(x, weight: w, bias: b) }

/// `x·W + b` for a weight stored [in, out] (GPT-2's Conv1D).
@inline(__always)
func conv1D(_ x: Tensor, _ w: Tensor, _ b: Tensor) -> Tensor { matmul(x, w) + b }
