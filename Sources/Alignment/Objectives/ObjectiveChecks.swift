import TensorEngine

/// Argument checks shared by the objectives. A wrong shape or mask is a programmer error, so like the engine's ops
/// they stop with `engineFailure`, naming the function and the shapes involved.
enum ObjectiveChecks {
    /// Every named tensor has the shape of the first.
    static func sameShape(_ op: String, _ tensors: KeyValuePairs<String, Tensor>) {
        guard let first = tensors.first else { return }
        for (name, t) in tensors where t.shape != first.value.shape {
            engineFailure(op, "\(name) has shape \(t.shape) but \(first.key) has shape \(first.value.shape)")
        }
    }

    /// `t` has exactly `rank` axes.
    static func rank(_ op: String, _ name: String, _ t: Tensor, _ rank: Int, _ layout: String) {
        if t.rank != rank { engineFailure(op, "\(name) must be \(layout), got shape \(t.shape)") }
    }

    /// A mask holds only 0 (ignored) and 1 (counted); anything else is a bug upstream, not a weight.
    static func mask(_ op: String, _ mask: Tensor) {
        let bad = mask.withUnsafeBufferPointer { $0.first { $0 != 0 && $0 != 1 } }
        if let bad { engineFailure(op, "mask of shape \(mask.shape) must hold only 0 and 1, found \(bad)") }
    }
}
