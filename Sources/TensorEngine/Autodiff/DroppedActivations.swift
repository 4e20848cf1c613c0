extension Tensor {
    /// Frees this activation's values until the backward pass reaches an op that keeps it for its backward, which
    /// then recomputes them with `recompute` (run without a tape; `scalars` and `item()` recompute them too). For
    /// values that cost little to compute again and much to keep: a norm's output, SwiGLU's product, attention's
    /// heads merged for the output projection (selective recomputation). `recompute` must give the same values bit
    /// for bit: the same op on the same inputs, which it keeps alive.
    ///
    /// Call it once every op of the forward pass that reads this tensor has run; each must keep it as an input of its
    /// node (the default, `Tensor.record`'s `keepsInputs`), since that is where the backward pass looks for dropped
    /// values. Without a tape, or for a tensor outside the graph, it does nothing (no node keeps the values, so they
    /// are freed with the tensor). Nor for a result whose own op's backward reads it through a pointer taken in the
    /// forward (`GradNode.readsResult`), a window, or a tensor with windows onto it: those keep their values.
    public func dropUntilBackward(recomputedBy recompute: @escaping () -> Tensor) {
        guard GradMode.isEnabled, ActivationDropping.isEnabled, let node = liveNode, !node.readsResult else { return }
        storage.dropValues(recomputedBy: recompute)
    }
}

/// `use` applied to `make()`, whose values are then dropped until the backward pass needs them and recomputed by
/// `make` then (`Tensor.dropUntilBackward(recomputedBy:)`): for an activation cheap to compute again that only `use`
/// reads in the forward.
public func recomputedInBackward(_ make: @escaping () -> Tensor, readBy use: (Tensor) -> Tensor) -> Tensor {
    let made = make()
    let result = use(made)
    made.dropUntilBackward(recomputedBy: make)
    return result
}

/// Whether `Tensor.dropUntilBackward(recomputedBy:)` drops values (on unless turned off for a task): off, a taped forward
/// keeps every activation its ops read, to compare with or to measure what dropping saves.
public enum ActivationDropping {
    @TaskLocal public static var isEnabled = true
}
