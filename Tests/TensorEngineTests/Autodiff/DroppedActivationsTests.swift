import Testing

@testable import TensorEngine

/// Activations dropped until the backward pass reads them (`Tensor.dropUntilBackward(recomputedBy:)`): freed, rebuilt
/// bit for bit on the first read, and refused where the values must stay.
@Suite struct DroppedActivationsTests {
    /// x → (x·W1, x·W2) → SwiGLU → ·W3 → sum, the SwiGLU product dropped (or kept) once ·W3 has read it; returns the
    /// gradients of x and the three weights, and whether the product was dropped before backward.
    static func swigluBlock(dropping: Bool) -> (gradients: [[Float]], dropped: Bool) {
        var generator = RandomGenerator(seed: 11)
        let x = Tensor.randn([6, 16], generator: &generator).requiringGrad()
        let w1 = Tensor.randn([16, 40], std: 0.3, generator: &generator).requiringGrad()
        let w2 = Tensor.randn([16, 40], std: 0.3, generator: &generator).requiringGrad()
        let w3 = Tensor.randn([40, 16], std: 0.3, generator: &generator).requiringGrad()
        let (gate, up) = (matmul(x, w1), matmul(x, w2))
        let hidden = swiglu(gate: gate, up: up)
        let y = matmul(hidden, w3)
        ActivationDropping.$isEnabled.withValue(dropping) {
            hidden.dropUntilBackward { swiglu(gate: gate, up: up) }
        }
        let dropped = hidden.storage.valuesAreDropped
        (y * y).sum().backward()
        return ([x, w1, w2, w3].map { $0.grad!.scalars }, dropped)
    }

    @Test func droppedValuesAreRebuiltForBackwardBitForBit() {
        let dropped = Self.swigluBlock(dropping: true), kept = Self.swigluBlock(dropping: false)
        #expect(dropped.dropped && !kept.dropped)
        #expect(dropped.gradients == kept.gradients, "the same gradients to the last bit")
    }

    @Test func readingDroppedValuesRecomputesThemExactly() {
        var generator = RandomGenerator(seed: 3)
        let x = Tensor.randn([5, 32], generator: &generator).requiringGrad()
        let weight = Tensor.randn([32], generator: &generator).requiringGrad()
        let normed = rmsNorm(x, weight: weight, eps: 1e-6)
        let original = normed.scalars
        let view = normed.reshaped([160])
        normed.dropUntilBackward { rmsNorm(x, weight: weight, eps: 1e-6) }
        #expect(normed.storage.valuesAreDropped)
        #expect(view.scalars == original, "a view shares the storage: its read rebuilds the values")
        #expect(!normed.storage.valuesAreDropped)
        #expect(normed.scalars == original)
    }

    @Test func aResultItsOwnBackwardReadsKeepsItsValues() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 0, -1, 4]).requiringGrad()
        let s = x.softmax()
        s.dropUntilBackward { x.softmax() }
        #expect(!s.storage.valuesAreDropped, "softmax's backward reads its result through a pointer")
    }

    @Test func nothingIsDroppedWithoutATapeOrFromAWindowedTensor() {
        let w = Tensor.ones([64]).requiringGrad()
        let untaped = withNoGrad { w * 2 }
        untaped.dropUntilBackward { withNoGrad { w * 2 } }
        #expect(!untaped.storage.valuesAreDropped)
        let leaf = Tensor.ones([64])
        leaf.dropUntilBackward { Tensor.ones([64]) }
        #expect(!leaf.storage.valuesAreDropped, "a tensor outside the graph")
        let windowed = w * 3
        let window = windowed.window(offset: 8, shape: [8])
        windowed.dropUntilBackward { w * 3 }
        #expect(!windowed.storage.valuesAreDropped)
        #expect(window.scalars == [Float](repeating: 3, count: 8))
    }

    /// A recipe that returns a tensor another one shares (here a view of a live tensor) is copied, not taken over.
    @Test func aSharedRecomputedTensorIsCopiedNotTakenOver() {
        let w = Tensor.full([4, 8], 2).requiringGrad()
        let doubled = w * 1.5
        let shared = withNoGrad { w * 1.5 }
        doubled.dropUntilBackward { shared.reshaped([32]) }
        #expect(doubled.scalars == [Float](repeating: 3, count: 32))
        #expect(shared.scalars == [Float](repeating: 3, count: 32), "the recipe's tensor keeps its own memory")
        #expect(doubled.storage.pointer != shared.storage.pointer)
    }
}
