import Testing

@testable import TensorEngine

/// Shape and indexing ops: values and finite-difference gradients.
@Suite struct ShapeGradientTests {
    @Test func reshapeIsAView() {
        let x = Tensor.arange(0, 6)
        let y = x.reshaped([2, -1])
        #expect(y.shape == [2, 3])
        #expect(y.storage === x.storage)
        x.withUnsafeMutableBufferPointer { $0[4] = 40 }
        #expect(y.scalars[4] == 40)
    }

    @Test func permuteSliceConcatValues() {
        let x = Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        #expect(x.transposed().scalars == [0, 3, 1, 4, 2, 5])
        #expect(x.slice(axis: 1, 1..<3).scalars == [1, 2, 4, 5])
        #expect(Tensor.concat([x, x.slice(axis: 1, 0..<1)], axis: 1).scalars == [0, 1, 2, 0, 3, 4, 5, 3])
        #expect(Tensor.stack([x, x], axis: 1).shape == [2, 2, 3])
        #expect(x.indexSelect(axis: 1, [2, 0]).scalars == [2, 0, 5, 3])
        #expect(x.gather(axis: 1, IntTensor(shape: [2, 2], scalars: [2, 2, 0, 1])).scalars == [2, 2, 3, 4])
        let mask = Tensor(shape: [1, 3], scalars: [1, 0, 0])
        #expect(x.maskedFill(mask, -9).scalars == [-9, 1, 2, -9, 4, 5])
        #expect(Tensor.where(mask, x, Tensor.zeros([1])).scalars == [0, 0, 0, 3, 0, 0])
        #expect(Tensor.arange(1, 2, step: 0.25).scalars == [1, 1.25, 1.5, 1.75])
    }

    @Test func gradients() {
        let x = randomTensor([2, 3, 4], seed: 31), y = randomTensor([2, 2, 4], seed: 32)
        expectGradientsMatchFiniteDifferences([x]) { $0[0].reshaped([6, 4]) }
        expectGradientsMatchFiniteDifferences([x]) { $0[0].permuted([2, 0, 1]) }
        expectGradientsMatchFiniteDifferences([x]) { $0[0].transposed(0, 2) }
        expectGradientsMatchFiniteDifferences([x]) { $0[0].slice(axis: 1, 1..<3) }
        expectGradientsMatchFiniteDifferences([x, y]) { Tensor.concat([$0[0], $0[1]], axis: 1) }
        expectGradientsMatchFiniteDifferences([x, x.copy()]) { Tensor.stack([$0[0], $0[1]], axis: 2) }
        expectGradientsMatchFiniteDifferences([x]) { $0[0].indexSelect(axis: 2, [3, 0, 3]) }
        expectGradientsMatchFiniteDifferences([x]) {
            $0[0].gather(axis: 1, IntTensor(shape: [2, 2, 4], scalars: (0..<16).map { $0 % 3 }))
        }
        expectGradientsMatchFiniteDifferences([x]) { $0[0].unsqueezed(1).squeezed(1) }
        expectGradientsMatchFiniteDifferences([randomTensor([3, 1], seed: 33)]) { $0[0].broadcast(to: [2, 3, 4]) }
        let mask = Tensor(shape: [3, 1], scalars: [1, 0, 1])
        expectGradientsMatchFiniteDifferences([x]) { $0[0].maskedFill(mask, 0.5) }
        let b = randomTensor([4], seed: 34)
        expectGradientsMatchFiniteDifferences([x, b]) { Tensor.where(mask, $0[0], $0[1]) }
        expectGradientsMatchFiniteDifferences([randomTensor([7, 3], seed: 35)]) {
            embedding($0[0], IntTensor(shape: [2, 3], scalars: [1, 6, 1, 0, 2, 1]))
        }
        expectGradientsMatchFiniteDifferences([x]) { $0[0] + $0[0] * $0[0] }  // a tensor used twice
    }
}
