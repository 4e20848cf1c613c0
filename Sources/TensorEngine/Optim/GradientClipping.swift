import Parallelism

/// Rescales the gradients of `parameters` so that their joint L2 norm is at most `maxNorm`, like PyTorch's
/// `clip_grad_norm_`, and returns the norm they had before clipping.
///
/// Every gradient is multiplied by `min(1, maxNorm / (totalNorm + 1e-6))`; the 1e-6 keeps the result just under
/// `maxNorm` and avoids dividing by zero. Parameters without a gradient are ignored. The sum of squares is
/// accumulated in Double, since a million Float squares summed in Float would lose several digits.
///
/// A non-finite norm (a NaN or infinite gradient) is returned as is and nothing is scaled: scaling by NaN would
/// destroy the gradients, while the caller can detect the NaN and skip the step.
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    if !(maxNorm >= 0) { engineFailure("clipGradNorm", "maxNorm \(maxNorm) must be ≥ 0") }
    let totalNorm = Float(gradientSquareSum(parameters).squareRoot())
    scaleGradients(parameters, toNorm: maxNorm, from: totalNorm)
    return totalNorm
}

/// Σ g² over the gradients of `parameters` (in Double; a gradient listed twice is counted once; parameters without a
/// gradient are ignored): the square of what `clipGradNorm` clips. Split over the cores, partial sums added in chunk
/// order so the result is deterministic. A model split over ranks sums its shards' parts across them first.
public func gradientSquareSum(_ parameters: [Tensor]) -> Double {
    let (segments, total) = gradientSegments(parameters)
    if segments.isEmpty { return 0 }
    let chunkCount = max(1, min(Parallel.workerCount, total / ParameterSegments.grain))
    var partials = [Double](repeating: 0, count: chunkCount)
    partials.withUnsafeMutableBufferPointer { partials in
        let out = UncheckedSendable(partials.baseAddress!)
        Parallel.forRanges(chunkCount, grain: 1) { chunks in
            for c in chunks {
                let range = (total * c / chunkCount)..<(total * (c + 1) / chunkCount)
                var sum = 0.0
                forEachPiece(segments, in: range) { s, r in sum += sumOfSquares(s.g + r.lowerBound, r.count) }
                out.value[c] = sum
            }
        }
    }
    return partials.reduce(0, +)
}

/// Scales the gradients of `parameters`, whose joint norm is `norm`, by `min(1, maxNorm / (norm + 1e-6))`, as
/// `clipGradNorm` does; a non-finite norm scales nothing.
public func scaleGradients(_ parameters: [Tensor], toNorm maxNorm: Float, from norm: Float) {
    guard norm.isFinite else { return }
    let coefficient = maxNorm / (norm + 1e-6)
    guard coefficient < 1 else { return }
    let (segments, total) = gradientSegments(parameters)
    ParameterSegments.forEach(segments, total: total) { s, r in
        VectorMath.scale(s.g + r.lowerBound, r.count, by: coefficient)
    }
}

/// The gradients of `parameters` as segments of their concatenation (each gradient once), and its length.
private func gradientSegments(_ parameters: [Tensor]) -> (segments: [GradientSegment], total: Int) {
    var segments: [GradientSegment] = []
    segments.reserveCapacity(parameters.count)
    var seen = Set<ObjectIdentifier>()
    var total = 0
    for p in parameters {
        // A gradient reached twice (the same parameter listed twice) must be counted and scaled once.
        guard let g = p.grad, g.count > 0, seen.insert(ObjectIdentifier(g.storage)).inserted else { continue }
        segments.append(GradientSegment(offset: total, count: g.count, g: g.data))
        total += g.count
    }
    return (segments, total)
}

/// One gradient placed in the concatenation of all gradients being clipped.
private struct GradientSegment: ParameterSegment {
    var offset: Int
    var count: Int
    var g: UnsafeMutablePointer<Float>
}

/// Calls `body` for each piece of `segments` inside `range` of their concatenation.
@inline(__always)
private func forEachPiece(
    _ segments: [GradientSegment], in range: Range<Int>, _ body: (GradientSegment, Range<Int>) -> Void
) {
    for s in segments where s.offset < range.upperBound && s.offset + s.count > range.lowerBound {
        body(s, (max(range.lowerBound, s.offset) - s.offset)..<(min(range.upperBound, s.offset + s.count) - s.offset))
    }
}

/// Σ x² in Double. Squares are formed in Float (as PyTorch's Float norm does) and widened before summing, so that
/// rounding does not grow with the element count.
@inline(__always)
private func sumOfSquares(_ x: UnsafePointer<Float>, _ n: Int) -> Double {
    var acc = SIMD8<Double>.zero
    var i = 0
    while i + 8 <= n {
        let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        acc += SIMD8<Double>(v * v)
        i += 8
    }
    var s = acc.sum()
    while i < n { let v = x[i]; s += Double(v * v); i += 1 }
    return s
}
