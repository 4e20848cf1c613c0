import TensorEngine
import Testing

/// Tolerance against the PyTorch reference (rl.json values have 7 decimals): |actual − expected| ≤ atol + rtol·|expected|.
enum ReferenceTolerance {
    static let rtol: Float = 1e-5
    static let atol: Float = 1e-6
}

/// Records a failure for every element outside the reference tolerance (the first few are listed).
func expectClose(
    _ actual: [Float], _ expected: [Float], _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        actual.count == expected.count, "\(what): \(actual.count) values vs \(expected.count) expected",
        sourceLocation: sourceLocation)
    let bad = zip(actual, expected).enumerated().filter { _, pair in
        !(abs(pair.0 - pair.1) <= ReferenceTolerance.atol + ReferenceTolerance.rtol * abs(pair.1))
    }.map { "[\($0.offset)] \($0.element.0) vs \($0.element.1)" }
    #expect(
        bad.isEmpty, "\(what): \(bad.count) of \(expected.count) differ: \(bad.prefix(5).joined(separator: ", "))",
        sourceLocation: sourceLocation)
}

/// `expectClose` for a tensor.
func expectClose(
    _ actual: Tensor, _ expected: [Float], _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    expectClose(actual.scalars, expected, what, sourceLocation: sourceLocation)
}

/// `expectClose` for one number.
func expectClose(_ actual: Float, _ expected: Float, _ what: String, sourceLocation: SourceLocation = #_sourceLocation)
{
    expectClose([actual], [expected], what, sourceLocation: sourceLocation)
}

/// Finite-difference gradient check of a scalar loss, as the engine's gradient tests do it: central differences
/// with step `h`, the loss read in Double so its Float32 rounding does not swamp the difference; tolerance
/// `atol + rtol·|analytic|`. Inputs must sit at least `h` from any kink of the loss (clip boundaries, ties of a max).
func expectGradientsMatchFiniteDifferences(
    _ inputs: [Tensor], h: Float = 1e-2, rtol: Float = 1e-2, atol: Float = 2e-3,
    sourceLocation: SourceLocation = #_sourceLocation, _ loss: ([Tensor]) -> Tensor
) {
    for x in inputs { x.requiringGrad(); x.zeroGrad() }
    loss(inputs).backward()
    func value() -> Double { Double(withNoGrad { loss(inputs) }.item()) }
    for (n, x) in inputs.enumerated() {
        let analytic = x.grad?.scalars ?? [Float](repeating: 0, count: x.count)
        var bad: [String] = []
        for i in 0..<x.count {
            let original = x.withUnsafeBufferPointer { $0[i] }
            x.withUnsafeMutableBufferPointer { $0[i] = original + h }
            let plus = value()
            x.withUnsafeMutableBufferPointer { $0[i] = original - h }
            let minus = value()
            x.withUnsafeMutableBufferPointer { $0[i] = original }
            let numeric = Float((plus - minus) / Double(2 * h))
            if !(abs(numeric - analytic[i]) <= atol + rtol * abs(analytic[i])) {
                bad.append("[\(i)] analytic \(analytic[i]) numeric \(numeric)")
            }
        }
        #expect(
            bad.isEmpty,
            "input \(n) \(x.shape): \(bad.count) gradients differ: \(bad.prefix(4).joined(separator: "; "))",
            sourceLocation: sourceLocation)
    }
}

/// Checks that backward gave `x` a finite gradient that is exactly 0 wherever `mask` is 0.
func expectZeroGradientOutsideMask(_ x: Tensor, _ mask: Tensor, sourceLocation: SourceLocation = #_sourceLocation) {
    let grad = x.grad?.scalars ?? []
    let leaks = zip(grad, mask.scalars).contains { $1 == 0 && $0 != 0 }
    #expect(
        !leaks && grad.allSatisfy(\.isFinite), "gradient \(grad) for mask \(mask.scalars)",
        sourceLocation: sourceLocation)
}

extension Tensor {
    /// A copy holding `value` wherever `mask` is 0: garbage in the padding that a loss must not see.
    func fillingMasked(_ mask: Tensor, with value: Float) -> Tensor {
        Tensor(shape: shape, scalars: zip(scalars, mask.scalars).map { $1 == 0 ? value : $0 })
    }
}

/// A tensor with normal random values, fixed by `seed`.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    return Tensor.randn(shape, std: scale, generator: &generator)
}
