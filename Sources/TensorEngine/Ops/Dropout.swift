/// Inverted dropout: zeroes each element with probability `p` and scales the rest by 1/(1 − p), so evaluation
/// needs no rescaling. Identity when `training` is false or `p` is 0.
public func dropout(_ x: Tensor, p: Float, training: Bool = true, generator: inout RandomGenerator) -> Tensor {
    if !(0..<1).contains(p) { engineFailure("dropout", "probability \(p) outside [0, 1)") }
    if !training || p == 0 { return x }
    let mask = Tensor.bernoulli(x.shape, p: 1 - p, generator: &generator)
    return x * (mask * (1 / (1 - p)))
}
