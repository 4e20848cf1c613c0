import Testing

@testable import TensorEngine

/// The bfloat16-weight ops give the Float32 ops' results on the widened weight: the same products, accumulated in
/// Float32 (in another order, so equal up to rounding). Shapes are ragged around the kernels' 16/32/64 widths, few
/// rows (register kernels) and many (widened tiles through sgemm, or `vdpbf16ps`), with outputs and depths past one
/// tile. With `BFloat16Products.bfloat16Dot` (where the CPU has AVX512_BF16), rows are rounded to bfloat16 first, so
/// the expected result is the Float32 product of the rounded rows.
@Suite struct BFloat16OpsTests {
    /// The modes this CPU runs: `widened` everywhere, `bfloat16Dot` with AVX512_BF16.
    static let modes = BFloat16Products.allCases.filter {
        $0 == .widened || BFloat16Products.dotInstructionsAvailable
    }

    /// x as the kernels see it in `mode`: rounded to bfloat16 (nearest, ties to even) with `bfloat16Dot`, few rows as
    /// many, else exact.
    static func asMultiplied(_ x: Tensor, _ mode: BFloat16Products) -> Tensor {
        guard mode == .bfloat16Dot else { return x }
        return Tensor(shape: x.shape, scalars: x.scalars.map { BFloat16.float(BFloat16.bits($0)) })
    }

    /// Records a failure where |actual − expected| exceeds 1e-5 of the sum of the magnitudes of the terms
    /// (`magnitude`, what Float32 rounding scales with).
    func expectSameProducts(
        _ actual: Tensor, _ expected: Tensor, magnitude: Tensor, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(actual.shape == expected.shape, "\(what): \(actual.shape) vs \(expected.shape)")
        let worst =
            zip(zip(actual.scalars, expected.scalars), magnitude.scalars).map { pair, m in
                abs(pair.0 - pair.1) / (1e-6 + m)
            }.max() ?? 0
        #expect(worst < 1e-5, "\(what): worst error \(worst) of the terms' magnitude", sourceLocation: sourceLocation)
    }

    func absolute(_ t: Tensor) -> Tensor { Tensor(shape: t.shape, scalars: t.scalars.map(abs)) }

    /// (leading shape of x, inputs, outputs): 1–16 rows take the register kernels, more the tiled path; 300 outputs
    /// span two 256-row tiles, 300 inputs two 256-deep blocks; the largest split across cores.
    static let shapes: [([Int], Int, Int)] = [
        ([1], 45, 37), ([3], 70, 33), ([2, 3], 33, 70), ([16], 300, 133), ([5], 31, 300),
        ([17], 45, 37), ([3, 7], 70, 33), ([40], 70, 300), ([2, 35], 300, 65), ([33], 16, 8),
        ([20], 777, 45), ([18], 41, 530),
    ]

    @Test(arguments: shapes, modes)
    func productsMatchFloat32OnTheWidenedWeight(_ shape: ([Int], Int, Int), mode: BFloat16Products) {
        let (leading, k, n) = shape
        let seed = UInt64(leading.reduce(1, *) * 1000 + k)
        let input = randomTensor(leading + [k], seed: seed), bias = randomTensor([n], seed: seed + 1)
        let x = Self.asMultiplied(input, mode)
        for transposed in [true, false] {
            let weight = BFloat16Matrix(randomTensor(transposed ? [n, k] : [k, n], seed: seed + 2))
            let widened = weight.toTensor()
            let magnitude = matmul(absolute(x), absolute(widened), transposeB: transposed) + absolute(bias)
            for b in [nil, bias] {
                let actual = BFloat16Products.withMode(mode) {
                    transposed ? linear(input, weight: weight, bias: b) : matmul(input, weight, bias: b)
                }
                var expected = matmul(x, widened, transposeB: transposed)
                if let b { expected = expected + b }
                expectSameProducts(
                    actual, expected, magnitude: magnitude,
                    "x \(x.shape) weight \(weight.shape) transposed \(transposed) bias \(b != nil) \(mode)")
            }
        }
    }

    /// dx through the bfloat16 weight equals dx through the widened Float32 weight, few and many rows, both layouts.
    @Test(arguments: [([2, 3], 33, 70), ([3, 7], 70, 33), ([20], 300, 40)], modes)
    func inputGradientMatchesFloat32(_ shape: ([Int], Int, Int), mode: BFloat16Products) {
        let (leading, k, n) = shape
        let x = randomTensor(leading + [k], seed: 5).requiringGrad()
        let gradient = randomTensor(leading + [n], seed: 6)
        let upstream = Self.asMultiplied(gradient, mode)
        for transposed in [true, false] {
            let weight = BFloat16Matrix(randomTensor(transposed ? [n, k] : [k, n], seed: 7))
            let widened = weight.toTensor()
            x.zeroGrad()
            BFloat16Products.withMode(mode) {
                (transposed ? linear(x, weight: weight) : matmul(x, weight)).backward(gradient)
            }
            let actual = x.grad!
            x.zeroGrad()
            matmul(x, widened, transposeB: transposed).backward(upstream)
            let expected = x.grad!
            let magnitude = matmul(absolute(upstream), absolute(widened), transposeB: !transposed)
            expectSameProducts(
                actual, expected, magnitude: magnitude, "dx \(x.shape) transposed \(transposed) \(mode)")
        }
    }

    /// With `vdpbf16ps`, a row's product is the same bits whether it is multiplied among 40 rows or 20 (both past the
    /// register kernels): every output sums its pairs in one order, whatever the row blocking and the split between
    /// cores. (Float32 GEMM, OpenBLAS's or ours, does not promise that.)
    @Test(.enabled(if: BFloat16Products.dotInstructionsAvailable))
    func dotRowsDoNotDependOnTheirBatch() {
        let mode = BFloat16Products.bfloat16Dot
        let x = randomTensor([40, 390], seed: 41)
        let first20 = Tensor(shape: [20, 390], scalars: Array(x.scalars[..<(20 * 390)]))
        for transposed in [true, false] {
            let weight = BFloat16Matrix(randomTensor(transposed ? [600, 390] : [390, 600], seed: 42))
            let (all, part) = BFloat16Products.withMode(mode) {
                transposed
                    ? (linear(x, weight: weight), linear(first20, weight: weight))
                    : (matmul(x, weight), matmul(first20, weight))
            }
            let differing = zip(all.scalars[..<(20 * 600)], part.scalars).filter { $0 != $1 }.count
            #expect(differing == 0, "transposed \(transposed): \(differing) of \(20 * 600) values differ")
        }
    }

    /// With `vdpbf16ps`, a weight stored [n, k] (`linear`, its panels transposed sixteen words at a time) and the same
    /// values stored [k, n] (`matmul`, packed row pairs) give the same bits, and so do their decoding pair panels:
    /// depths odd and across the 384-deep blocks, partial 16- and 32-column panels, odd row strides.
    @Test(
        .enabled(if: BFloat16Products.dotInstructionsAvailable),
        arguments: [(3, 5, 7), (13, 33, 17), (20, 100, 31), (37, 64, 385), (5, 17, 800), (2, 48, 1)])
    func transposedAndPlainLayoutsAgree(_ dims: (Int, Int, Int)) {
        let (rows, n, k) = dims
        let x = randomTensor([rows, k], seed: UInt64(rows + n + k))
        let stored = BFloat16Matrix(randomTensor([n, k], seed: UInt64(n * k)))
        let plain = BFloat16Matrix(stored.toTensor().transposed())
        let (viaTranspose, viaPlain, panelsTransposed, panelsPlain) = withNoGrad {
            BFloat16Products.withMode(.bfloat16Dot) {
                (
                    linear(x, weight: stored), matmul(x, plain),
                    PackedMatrix(roundingRowsOf: stored, transposed: true)(x),
                    PackedMatrix(roundingRowsOf: plain, transposed: false)(x)
                )
            }
        }
        let differing = zip(viaTranspose.scalars, viaPlain.scalars).filter { $0 != $1 }.count
        #expect(differing == 0, "products \(dims): \(differing) of \(rows * n) differ")
        let differingPanels = zip(panelsTransposed.scalars, panelsPlain.scalars).filter { $0 != $1 }.count
        #expect(differingPanels == 0, "pair panels \(dims): \(differingPanels) of \(rows * n) differ")
        #expect(viaTranspose.scalars == panelsTransposed.scalars)
    }

    /// In `widened` mode: `bfloat16Dot`'s forward is a step function of x (x is rounded to bfloat16), so finite
    /// differences cannot see its slope; its backward is `widened`'s on the rounded gradient, checked above.
    @Test func gradientsMatchFiniteDifferences() {
        let weight = BFloat16Matrix(randomTensor([4, 5], seed: 11)),
            conv = BFloat16Matrix(randomTensor([5, 4], seed: 12))
        let few = randomTensor([2, 3, 5], seed: 13), many = randomTensor([3, 7, 5], seed: 14)
        let bias = randomTensor([4], seed: 15)
        BFloat16Products.withMode(.widened) {
            for x in [few, many] {
                expectGradientsMatchFiniteDifferences([x, bias]) { linear($0[0], weight: weight, bias: $0[1]) }
                expectGradientsMatchFiniteDifferences([x, bias]) { matmul($0[0], conv, bias: $0[1]) }
                expectGradientsMatchFiniteDifferences([x]) { linear($0[0], weight: weight) }
            }
        }
    }

    /// Without a grad-requiring input, or under withNoGrad, nothing is recorded; the weight never has a gradient
    /// to receive.
    @Test func recordsOnlyForGradRequiringInputs() {
        let weight = BFloat16Matrix(randomTensor([4, 5], seed: 21))
        let x = randomTensor([2, 5], seed: 22), bias = randomTensor([4], seed: 23)
        #expect(!linear(x, weight: weight, bias: bias).requiresGrad)
        bias.requiringGrad()
        #expect(linear(x, weight: weight, bias: bias).requiresGrad)
        #expect(!withNoGrad { linear(x, weight: weight, bias: bias) }.requiresGrad)
        x.requiringGrad()
        linear(x, weight: weight, bias: bias).sum().backward()
        #expect(x.grad?.shape == [2, 5] && bias.grad?.scalars == [2, 2, 2, 2])
    }

    @Test func embeddingGathersWidenedRows() {
        let table = BFloat16Matrix(randomTensor([7, 5], seed: 31))
        let ids = IntTensor(shape: [2, 3], scalars: [6, 0, 3, 3, 1, 6])
        let rows = embedding(table, ids)
        #expect(rows.shape == [2, 3, 5])
        #expect(rows.scalars == embedding(table.toTensor(), ids).scalars)
        #expect(!rows.requiresGrad)
    }

    @Test func linearShapeMismatchNamesOpAndShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = linear(Tensor.zeros([2, 3]), weight: BFloat16Matrix(Tensor.zeros([4, 5])))
        }
        let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(text.contains("linear") && text.contains("[2, 3]") && text.contains("[4, 5]"), "\(text)")
    }

    @Test func biasShapeMismatchNamesShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = matmul(Tensor.zeros([2, 4]), BFloat16Matrix(Tensor.zeros([4, 5])), bias: Tensor.zeros([4]))
        }
        let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(text.contains("matmul") && text.contains("bias shape [4]") && text.contains("[5]"), "\(text)")
    }

    @Test func embeddingIdOutOfRangeIsNamed() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = embedding(BFloat16Matrix(Tensor.zeros([3, 2])), IntTensor([0, 3]))
        }
        let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(text.contains("embedding") && text.contains("id 3") && text.contains("[3, 2]"), "\(text)")
    }
}
