import TensorEngine

// Masked reductions over response tokens (the `masked_mean` / `masked_whiten` of TRL and OpenRLHF).
//
// Masks have the shape of the values and hold 1 for a counted (response) token and 0 for an ignored one (prompt,
// padding). Ignored entries never change a result, even when they hold NaN or infinity, and receive a zero gradient.

/// Σ x·mask / Σ mask over all elements: the token-level mean used by the PPO, value and GRPO losses, so every
/// response token weighs the same whatever its sequence's length. Differentiable in `x`. An all-zero mask gives 0
/// with a zero gradient (torch would give NaN), like `crossEntropy` with every target ignored.
public func maskedMean(_ x: Tensor, mask: Tensor) -> Tensor {
    let op = "maskedMean"
    ObjectiveChecks.sameShape(op, ["x": x, "mask": mask])
    ObjectiveChecks.mask(op, mask)
    let counted = mask.withUnsafeBufferPointer { $0.reduce(0, +) }
    return zeroOutsideMask(x, mask).sum() * (1 / Swift.max(counted, 1))
}

/// Σ x·mask along `axis`. With token log-probabilities [B, T] and a response mask, `axis: -1` gives each
/// response's log-probability log π(y|x) [B], the input of the DPO loss. Differentiable in `x`.
public func maskedSum(_ x: Tensor, mask: Tensor, axis: Int) -> Tensor {
    let op = "maskedSum"
    ObjectiveChecks.sameShape(op, ["x": x, "mask": mask])
    ObjectiveChecks.mask(op, mask)
    return zeroOutsideMask(x, mask).sum(axis: axis)
}

/// Mean and variance of the entries where `mask` is 1, accumulated in Double, without a tape. `unbiased` applies
/// Bessel's correction (divides by n − 1), as TRL's `masked_var` does by default; it needs at least two entries.
public func maskedMeanAndVariance(_ x: Tensor, mask: Tensor, unbiased: Bool = true) -> (mean: Float, variance: Float) {
    maskedMeanAndVariance("maskedMeanAndVariance", x, mask: mask, unbiased: unbiased)
}

private func maskedMeanAndVariance(_ op: String, _ x: Tensor, mask: Tensor, unbiased: Bool) -> (
    mean: Float, variance: Float
) {
    ObjectiveChecks.sameShape(op, ["x": x, "mask": mask])
    ObjectiveChecks.mask(op, mask)
    let values = zip(x.scalars, mask.scalars).filter { $0.1 == 1 }.map { Double($0.0) }
    let needed = unbiased ? 2 : 1
    if values.count < needed {
        let what = unbiased ? "the unbiased variance" : "a variance"
        engineFailure(
            op, "mask of shape \(mask.shape) selects \(values.count) entries; \(what) needs at least \(needed)")
    }
    let mean = values.reduce(0, +) / Double(values.count)
    let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return (Float(mean), Float(squares / Double(values.count - (unbiased ? 1 : 0))))
}

/// (x − mean) / √(var + ε) with mean and unbiased variance taken over the masked entries (TRL's `masked_whiten`):
/// advantage whitening. Every entry is transformed, masked or not, with the statistics of the masked ones.
/// `shiftMean: false` adds the mean back, rescaling without centring (TRL's option for rewards).
/// ε = 1e-8 is TRL's. Computed without a tape: the result is a plain tensor.
public func maskedWhiten(_ x: Tensor, mask: Tensor, shiftMean: Bool = true, epsilon: Float = 1e-8) -> Tensor {
    let (mean, variance) = maskedMeanAndVariance("maskedWhiten", x, mask: mask, unbiased: true)
    let scale = 1 / (Double(variance) + Double(epsilon)).squareRoot()
    let whitened = x.scalars.map { value -> Float in
        let centred = (Double(value) - Double(mean)) * scale
        return Float(shiftMean ? centred : centred + Double(mean))
    }
    return Tensor(shape: x.shape, scalars: whitened)
}

/// The share of masked entries where `hits` (row-major, one per element) is true, such as where a clip was
/// active; 0 for an all-zero mask. Without a tape.
func maskedFraction(_ hits: [Bool], mask: Tensor) -> Float {
    let counted = zip(hits, mask.scalars).filter { $0 && $1 == 1 }.count
    return Float(counted) / Swift.max(mask.withUnsafeBufferPointer { $0.reduce(0, +) }, 1)
}

/// `x` where `mask` is 1, else 0. Selecting (instead of multiplying by the mask) keeps NaN or infinity in ignored
/// positions out of the result, and sends them an exact zero gradient.
func zeroOutsideMask(_ x: Tensor, _ mask: Tensor) -> Tensor {
    Tensor.where(mask, x, Tensor(0))
}
