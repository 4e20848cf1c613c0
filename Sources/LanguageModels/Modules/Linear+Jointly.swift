import TensorEngine

extension Linear {
    /// `layers` applied to one input `x` [..., in] (a block's query, key and value; its gate and up). When every
    /// layer carries a LoRA adapter on a frozen base, they run as one op (`lowRankAdapted(_:adapterInput:layers:)`):
    /// the adapters' A products and A gradients read `x` once for all of them, and their shares of dx are summed in
    /// place. Otherwise each layer runs on its own.
    static func applying(_ layers: [Linear], to x: Tensor) -> [Tensor] {
        let jointly =
            layers.count > 1
            && layers.allSatisfy { layer in
                guard let adapter = layer.adapter, adapter.isEnabled, layer.split == nil else { return false }
                // Under a tape: frozen bases (the op keeps no graph through them) and one adapter input for all
                // (dropout draws its own mask per adapter).
                return !GradMode.enabled
                    || (layer.weight.isFrozen && (layer.bias?.isFrozen ?? true) && adapter.settings.dropout == 0)
            }
        guard jointly else { return layers.map { $0(x) } }
        return lowRankAdapted(
            x, adapterInput: x,
            layers: layers.map { layer in
                let adapter = layer.adapter!
                return LowRankLayer(
                    a: adapter.down.weight.tensor, b: adapter.up.weight.tensor, scale: adapter.scaling,
                    base: layer.base, baseInputGradient: layer.baseInputGradient)
            })
    }
}
