import TensorEngine

/// Layer normalisation over the last axis with a scale and a bias (GPT-2).
public final class LayerNorm: Module {
    /// Scale [width].
    public let weight: Parameter
    /// Shift [width].
    public let bias: Parameter
    /// Added to the variance.
    public let eps: Float

    /// A norm named `key` over `width` features.
    public init(key: WeightKey, width: Int, eps: Float) {
        weight = Parameter("weight", shape: [width], initializer: .ones)
        bias = Parameter("bias", shape: [width], initializer: .zeros)
        self.eps = eps
        super.init(key: key)
    }

    /// Normalises `x` [..., width].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        layerNorm(x, weight: weight.tensor, bias: bias.tensor, eps: eps)
    }
}

/// RMS normalisation over the last axis with a scale (Llama and its relatives; Qwen3 also per attention head).
public final class RMSNorm: Module {
    /// Scale [width].
    public let weight: Parameter
    /// Added to the mean square.
    public let eps: Float

    /// A norm named `key` over `width` features.
    public init(key: WeightKey, width: Int, eps: Float) {
        weight = Parameter("weight", shape: [width], initializer: .ones)
        self.eps = eps
        super.init(key: key)
    }

    /// Normalises `x` [..., width].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        rmsNorm(x, weight: weight.tensor, eps: eps)
    }
}

/// The norm a family uses: LayerNorm (GPT-2) or RMSNorm (the rest).
func makeNorm(_ key: WeightKey, config: ModelConfig) -> Module & NormLayer {
    config.family == .gpt2
        ? LayerNorm(key: key, width: config.hiddenSize, eps: config.normEpsilon)
        : RMSNorm(key: key, width: config.hiddenSize, eps: config.normEpsilon)
}

/// A normalisation layer applied to the residual stream.
public protocol NormLayer: AnyObject {
    /// Normalises `x` [..., width].
    func callAsFunction(_ x: Tensor) -> Tensor
}

extension LayerNorm: NormLayer {}
extension RMSNorm: NormLayer {}
