import TensorEngine
import Testing

/// Checks the gradients already accumulated in each input's `grad` against central differences of `loss` (summed in
/// Double) with step 5e-3: within 3e-3 absolute + 1e-2 relative, Float32's reach at that step.
func expectGradientsMatchFiniteDifferences(
    _ inputs: [Tensor], loss: () -> Double, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let h: Float = 5e-3
    for (n, x) in inputs.enumerated() {
        let analytic = try #require(x.grad, sourceLocation: sourceLocation).scalars
        for i in 0..<x.count {
            let original = x.scalars[i]
            x.withUnsafeMutableBufferPointer { $0[i] = original + h }
            let plus = loss()
            x.withUnsafeMutableBufferPointer { $0[i] = original - h }
            let minus = loss()
            x.withUnsafeMutableBufferPointer { $0[i] = original }
            let numeric = Float((plus - minus) / Double(2 * h))
            #expect(
                abs(numeric - analytic[i]) <= 3e-3 + 1e-2 * abs(analytic[i]),
                "input \(n)[\(i)]: \(analytic[i]) vs \(numeric)", sourceLocation: sourceLocation)
        }
    }
}
