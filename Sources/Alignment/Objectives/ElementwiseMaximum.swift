import TensorEngine

/// Elementwise max(a, b) of same-shaped tensors; the gradient goes to the larger operand (to `a` on ties), and NaN
/// propagates as in `torch.maximum`. The engine has no maximum op; `where` already carries the gradient.
func elementwiseMaximum(_ a: Tensor, _ b: Tensor) -> Tensor {
    ObjectiveChecks.sameShape("elementwiseMaximum", ["a": a, "b": b])
    let takeA = zip(a.scalars, b.scalars).map { $0 >= $1 || $0.isNaN ? Float(1) : 0 }
    return Tensor.where(Tensor(shape: a.shape, scalars: takeA), a, b)
}
