import PanelKernels
import Testing

@testable import TensorEngine

/// Packed decoding products agree with a Double reference for both stored layouts, with and without bias, for row
/// counts around the 4- and 8-row kernels and column counts that leave a partial last panel.
@Suite struct PackedMatrixTests {
    /// Each output in Double, with the sum of the magnitudes of its terms (what rounding error scales with).
    func reference(
        _ x: [Float], _ w: [Float], _ bias: [Float]?, rows: Int, k: Int, n: Int,
        transposed: Bool
    ) -> [(value: Double, magnitude: Double)] {
        (0..<(rows * n)).map { idx in
            let (i, j) = (idx / n, idx % n)
            var s = Double(bias?[j] ?? 0), m = abs(s)
            for p in 0..<k {
                let t = Double(x[i * k + p]) * Double(transposed ? w[j * k + p] : w[p * n + j])
                s += t; m += abs(t)
            }
            return (s, m)
        }
    }

    @Test(arguments: [(1, 5, 3), (3, 32, 16), (4, 70, 40), (5, 33, 7), (8, 300, 384), (9, 64, 20), (19, 45, 31)])
    func matchesReference(_ dims: (Int, Int, Int)) {
        let (rows, n, k) = dims
        var gen = RandomGenerator(seed: UInt64(rows * 1000 + n))
        let x = Tensor.randn([rows, k], generator: &gen)
        let bias = Tensor.randn([n], generator: &gen)
        for transposed in [false, true] {
            let w = Tensor.randn(transposed ? [n, k] : [k, n], generator: &gen)
            for b in [nil, bias] {
                let packed = PackedMatrix(w, transposed: transposed, bias: b)
                let y = withNoGrad { packed(x) }
                #expect(y.shape == [rows, n])
                let expected = reference(
                    x.scalars, w.scalars, b?.scalars, rows: rows, k: k, n: n, transposed: transposed)
                // Float32 accumulation: error within 1e-6 of the terms' magnitude (k ≤ 384 terms, eps 6e-8 each).
                let worst =
                    zip(y.scalars, expected).map { abs(Double($0) - $1.value) / (1e-6 + $1.magnitude) }.max() ?? 0
                #expect(worst < 1e-6, "rows \(rows) n \(n) k \(k) transposed \(transposed) bias \(b != nil): \(worst)")
            }
        }
    }

    /// Leading axes are kept: [B, T, in] → [B, T, out], the same numbers as the stored-weight product.
    @Test func keepsLeadingAxesAndMatchesMatmul() {
        var gen = RandomGenerator(seed: 7)
        let x = Tensor.randn([2, 3, 24], generator: &gen), w = Tensor.randn([24, 40], generator: &gen)
        let y = withNoGrad { PackedMatrix(w, transposed: false)(x) }
        #expect(y.shape == [2, 3, 40])
        let direct = matmul(x, w)
        let worst = zip(y.scalars, direct.scalars).map { abs($0 - $1) / (1 + abs($1)) }.max() ?? 0
        #expect(worst < 1e-6)
    }
}

/// Panels packed from a bfloat16 matrix give exactly the Float32 pack's results on the widened matrix: the same
/// values multiplied in the same order, only stored in half the bytes.
@Suite struct PackedBFloat16MatrixTests {
    @Test(arguments: [(1, 5, 3), (3, 32, 16), (4, 70, 40), (5, 33, 7), (8, 300, 384), (9, 64, 20), (19, 45, 31)])
    func equalsFloat32PackOfWidenedMatrix(_ dims: (Int, Int, Int)) {
        let (rows, n, k) = dims
        var gen = RandomGenerator(seed: UInt64(rows * 1000 + n))
        let x = Tensor.randn([2, rows, k], generator: &gen)
        let bias = Tensor.randn([n], generator: &gen)
        for transposed in [false, true] {
            let weight = BFloat16Matrix(Tensor.randn(transposed ? [n, k] : [k, n], generator: &gen))
            for b in [nil, bias] {
                let packed = PackedMatrix(weight, transposed: transposed, bias: b)
                let reference = PackedMatrix(weight.toTensor(), transposed: transposed, bias: b)
                #expect(packed.inputs == k && packed.outputs == n && packed.byteCount * 2 == reference.byteCount)
                let (y, expected) = withNoGrad { (packed(x), reference(x)) }
                #expect(y.shape == [2, rows, n])
                #expect(y.scalars == expected.scalars, "rows \(rows) n \(n) k \(k) transposed \(transposed)")
            }
        }
    }
}

/// Pair panels (`PackedMatrix(roundingRowsOf:)`) give `linear`/`matmul`'s `bfloat16Dot` products bit for bit: rows
/// around the 16-row tile, depths across the 384-deep blocks (odd ones too), partial last panels, with and without
/// bias; and the pack is chosen only inside `BFloat16Products.withRoundedDecoding`.
@Suite(.enabled(if: BFloat16Products.dotInstructionsAvailable)) struct PackedPairPanelTests {
    @Test(arguments: [(1, 5, 3), (3, 32, 16), (7, 70, 385), (16, 33, 768), (17, 100, 800), (40, 16, 1)])
    func equalsTheDotProducts(_ dims: (Int, Int, Int)) {
        let (rows, n, k) = dims
        var gen = RandomGenerator(seed: UInt64(rows * 1000 + n + k))
        let x = Tensor.randn([rows, k], generator: &gen)
        let bias = Tensor.randn([n], generator: &gen)
        for transposed in [false, true] {
            let weight = BFloat16Matrix(Tensor.randn(transposed ? [n, k] : [k, n], generator: &gen))
            for b in [nil, bias] {
                let packed = PackedMatrix(roundingRowsOf: weight, transposed: transposed, bias: b)
                #expect(packed.inputs == k && packed.outputs == n)
                let (y, expected) = withNoGrad {
                    BFloat16Products.withMode(.bfloat16Dot) {
                        (packed(x), transposed ? linear(x, weight: weight, bias: b) : matmul(x, weight, bias: b))
                    }
                }
                let differing = zip(y.scalars, expected.scalars).filter { $0 != $1 }.count
                #expect(differing == 0, "rows \(rows) n \(n) k \(k) transposed \(transposed): \(differing) differ")
            }
        }
    }

    @Test func pairPanelsOnlyWhenDecodingRounds() {
        var gen = RandomGenerator(seed: 3)
        let weight = BFloat16Matrix(Tensor.randn([8, 6], generator: &gen))
        let (exact, rounded, widened) = (
            BFloat16Products.withMode(.bfloat16Dot) { PackedMatrix.decoding(weight, transposed: true) },
            BFloat16Products.withMode(.bfloat16Dot) {
                BFloat16Products.withRoundedDecoding { PackedMatrix.decoding(weight, transposed: true) }
            },
            BFloat16Products.withMode(.widened) {
                BFloat16Products.withRoundedDecoding { PackedMatrix.decoding(weight, transposed: true) }
            }
        )
        func isPairs(_ m: PackedMatrix) -> Bool { if case .bfloat16Pairs = m.panels { true } else { false } }
        #expect(!isPairs(exact) && isPairs(rounded) && !isPairs(widened))
    }
}

/// The C kernels for AVX2 CPUs (`PanelKernels`) give the Swift kernels' bits: row counts 1–8 and beyond (groups of up
/// to six, chunks of 64), depths across the 64-step blocks, partial last panels, with and without bias, Float32 and
/// bfloat16 panels, both stored layouts.
@Suite(.enabled(if: PackedMatrix.usesAVX2Kernels)) struct PanelKernelTests {
    @Test(arguments: [
        (1, 5, 3), (2, 32, 16), (3, 70, 64), (4, 33, 65), (5, 100, 130), (6, 64, 1), (7, 96, 200), (8, 45, 576),
        (11, 160, 77), (16, 31, 2), (32, 40, 129), (70, 33, 20),
    ])
    func giveTheSwiftKernelsBits(_ dims: (Int, Int, Int)) {
        let (rows, n, k) = dims
        var gen = RandomGenerator(seed: UInt64(rows * 10_000 + n * 100 + k))
        let x = Tensor.randn([rows, k], generator: &gen)
        let bias = Tensor.randn([n], generator: &gen)
        for transposed in [false, true] {
            let w = Tensor.randn(transposed ? [n, k] : [k, n], generator: &gen)
            for b in [nil, bias] {
                for packed in [
                    PackedMatrix(w, transposed: transposed, bias: b),
                    PackedMatrix(BFloat16Matrix(w), transposed: transposed, bias: b),
                ] {
                    let (c, swift) = withNoGrad {
                        (packed.product(x, avx2Kernels: true), packed.product(x, avx2Kernels: false))
                    }
                    #expect(
                        c.scalars.map(\.bitPattern) == swift.scalars.map(\.bitPattern),
                        "rows \(rows) n \(n) k \(k) transposed \(transposed) bias \(b != nil) \(packed.byteCount)")
                }
            }
        }
    }

    /// The C packing of whole panels (8 × 8 transposes) writes the scalar copy's bytes, Float32 and bfloat16, for
    /// depths with and without a remainder of eight and a partial last panel (packed by the scalar copy either way).
    @Test(arguments: [(64, 16), (96, 579), (40, 7), (33, 8)])
    func packsTheScalarCopysBytes(_ dims: (Int, Int)) {
        let (n, k) = dims
        var gen = RandomGenerator(seed: UInt64(n * 1000 + k))
        let w = Tensor.randn([n, k], generator: &gen), half = BFloat16Matrix(w)
        let count = (n + 31) / 32 * 32 * k
        let (c, scalar) = (TensorStorage(count: count), TensorStorage(count: count))
        let (cHalf, scalarHalf) = (BFloat16Storage(count: count), BFloat16Storage(count: count))
        let (src, srcHalf) = (UnsafePointer(w.data), half.pointer)
        PackedMatrix.pack(
            src, into: c.pointer, inputs: k, outputs: n, transposed: true, zero: 0,
            wholePanel: { rlhf_pack_panel_f32(src, k, $0, c.pointer) }, slot: { $0 })
        PackedMatrix.pack(src, into: scalar.pointer, inputs: k, outputs: n, transposed: true, zero: 0) { $0 }
        PackedMatrix.pack(
            srcHalf, into: cHalf.pointer, inputs: k, outputs: n, transposed: true, zero: 0,
            wholePanel: { rlhf_pack_panel_bf16(srcHalf, k, $0, cHalf.pointer) }, slot: PackedMatrix.pairSlot)
        PackedMatrix.pack(
            srcHalf, into: scalarHalf.pointer, inputs: k, outputs: n, transposed: true, zero: 0,
            slot: PackedMatrix.pairSlot)
        #expect((0..<count).allSatisfy { c.pointer[$0].bitPattern == scalar.pointer[$0].bitPattern }, "n \(n) k \(k)")
        #expect((0..<count).allSatisfy { cHalf.pointer[$0] == scalarHalf.pointer[$0] }, "n \(n) k \(k) bf16")
    }
}
