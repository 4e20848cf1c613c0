import Testing

@testable import TensorEngine

/// The checkers themselves must be able to fail: a wrong value and a wrong gradient are caught.
@Suite struct NumericsSelfTests {
    @Test func closenessCheckCatchesAWrongValue() {
        withKnownIssue {
            expectClose(
                Tensor(shape: [2], scalars: [1, 2.0001]), Tensor(shape: [2], scalars: [1, 2]), "deliberately off")
        }
    }

    @Test func gradientCheckCatchesAWrongBackward() {
        withKnownIssue {
            expectGradientsMatchFiniteDifferences([randomTensor([4], seed: 3)]) { xs in
                let x = xs[0]
                let y = x.mapElements { $0 * $0 }
                // Deliberately wrong derivative: x instead of 2x.
                return Tensor.record("square_wrong", [x], y) { g in [g * x.detached()] }
            }
        }
    }
}
