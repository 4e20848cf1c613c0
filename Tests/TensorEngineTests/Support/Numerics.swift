import Testing

@testable import TensorEngine

/// Tolerances of the parity tests against PyTorch: |actual − expected| ≤ atol + rtol·|expected|.
enum Tolerance {
    static let rtol: Float = 1e-5
    static let atol: Float = 1e-6
}

/// Records a failure for every element outside `atol + rtol·|expected|` (the first few are listed).
func expectClose(
    _ actual: Tensor, _ expected: Tensor, rtol: Float = Tolerance.rtol, atol: Float = Tolerance.atol,
    _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        actual.count == expected.count, "\(what): shape \(actual.shape) vs expected \(expected.shape)",
        sourceLocation: sourceLocation)
    guard actual.count == expected.count else { return }
    let a = actual.scalars, e = expected.scalars
    var bad: [String] = []
    for i in 0..<a.count where !(abs(a[i] - e[i]) <= atol + rtol * abs(e[i])) {
        bad.append("[\(i)] \(a[i]) vs \(e[i])")
    }
    #expect(
        bad.isEmpty, "\(what): \(bad.count) of \(a.count) elements differ: \(bad.prefix(5).joined(separator: ", "))",
        sourceLocation: sourceLocation)
}

/// Finite-difference gradient check.
///
/// The loss is Σ f(inputs)ᵢ·wᵢ with fixed random weights w, summed in Double so the Float32 rounding of the loss
/// does not swamp the difference. Central differences with step `h`; tolerance `atol + rtol·|analytic|`.
func expectGradientsMatchFiniteDifferences(
    _ inputs: [Tensor], h: Float = 1e-2, rtol: Float = 1e-2, atol: Float = 2e-3, seed: UInt64 = 7,
    sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Tensor]) -> Tensor
) {
    for x in inputs { x.requiringGrad(); x.zeroGrad() }
    let probe = withNoGrad { f(inputs) }
    var gen = RandomGenerator(seed: seed)
    let weights = Tensor.randn(probe.shape, generator: &gen)
    let w = weights.scalars.map(Double.init)

    f(inputs).backward(weights)

    func loss() -> Double {
        let out = withNoGrad { f(inputs) }.scalars
        return zip(out, w).reduce(0) { $0 + Double($1.0) * $1.1 }
    }
    for (n, x) in inputs.enumerated() {
        let analytic = x.grad?.scalars ?? [Float](repeating: 0, count: x.count)
        var bad: [String] = []
        for i in 0..<x.count {
            let original = x.withUnsafeBufferPointer { $0[i] }
            x.withUnsafeMutableBufferPointer { $0[i] = original + h }
            let plus = loss()
            x.withUnsafeMutableBufferPointer { $0[i] = original - h }
            let minus = loss()
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

/// A tensor with normal random values (fixed seed per call site's seed).
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var gen = RandomGenerator(seed: seed)
    return Tensor.randn(shape, std: scale, generator: &gen)
}

/// Compares the outputs of two implementations and the gradients of Σ out·w (fixed random w) for every input.
func expectSameOutputsAndGradients(
    _ inputs: [Tensor], rtol: Float = 2e-5, atol: Float = 2e-6,
    _ actual: ([Tensor]) -> Tensor, _ expected: ([Tensor]) -> Tensor,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    for x in inputs { x.requiringGrad(); x.zeroGrad() }
    let a = actual(inputs)
    let w = randomTensor(a.shape, seed: 1234)
    a.backward(w)
    let actualGrads = inputs.map { $0.grad!.copy() }
    for x in inputs { x.zeroGrad() }
    let b = expected(inputs)
    b.backward(w)
    expectClose(a, b, rtol: rtol, atol: atol, "output", sourceLocation: sourceLocation)
    for (i, x) in inputs.enumerated() {
        expectClose(
            actualGrads[i], x.grad!, rtol: rtol, atol: atol, "grad of input \(i)", sourceLocation: sourceLocation)
    }
}
