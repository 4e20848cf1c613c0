import Testing

@testable import TensorEngine

/// Float32 → bfloat16 rounds to nearest, ties to even, against hand-computed bit patterns; widening back is exact.
@Suite struct BFloat16Tests {
    /// (Float32 bits, expected bfloat16 bits, what the case is).
    static let roundingCases: [(UInt32, UInt16, String)] = [
        (0x3F80_0000, 0x3F80, "1.0 is exact"),
        (0x3F80_7FFF, 0x3F80, "below half an ulp rounds down"),
        (0x3F80_8001, 0x3F81, "above half an ulp rounds up"),
        (0x3F80_8000, 0x3F80, "tie with an even kept half stays"),
        (0x3F81_8000, 0x3F82, "tie with an odd kept half goes up to even"),
        (0xBF81_8000, 0xBF82, "negative tie rounds away from the odd half"),
        (0x3FFF_8000, 0x4000, "tie carrying into the exponent"),
        (0x8000_0000, 0x8000, "negative zero keeps its sign"),
        (0x0000_8000, 0x0000, "subnormal tie stays at even zero"),
        (0x0001_8000, 0x0002, "subnormal tie goes up to even"),
        (0x0000_8001, 0x0001, "tiny subnormal above the tie"),
        (0x807F_FFFF, 0x8080, "largest negative subnormal rounds to the smallest normal"),
        (0x7F7F_7FFF, 0x7F7F, "just below the overflow threshold stays finite"),
        (0x7F7F_FFFF, 0x7F80, "largest Float32 overflows to infinity"),
        (0x7F80_0000, 0x7F80, "+infinity"),
        (0xFF80_0000, 0xFF80, "-infinity"),
        (0x7FC0_0000, 0x7FC0, "quiet NaN"),
        (0x7F80_0001, 0x7FC0, "NaN with its payload in the dropped half stays NaN"),
        (0xFF80_0001, 0xFFC0, "negative NaN keeps its sign"),
        (0x7FA0_0000, 0x7FE0, "signalling NaN becomes quiet"),
    ]

    @Test(arguments: roundingCases)
    func roundsToNearestEven(_ testCase: (UInt32, UInt16, String)) {
        let (input, expected, what) = testCase
        #expect(BFloat16.bits(Float(bitPattern: input)) == expected, "\(what)")
        // The matrix conversion (vectorised in release builds) agrees with the scalar one.
        let matrix = BFloat16Matrix(Tensor(shape: [1, 1], scalars: [Float(bitPattern: input)]))
        #expect(matrix.bits[0] == expected, "\(what)")
    }

    /// Every bit pattern widens to the Float32 with the same top half and a zero bottom half, and rounds back to
    /// itself (NaNs stay NaN, quieted).
    @Test func widensEveryPatternExactly() {
        let all = (0...UInt16.max).map { $0 }
        let matrix = BFloat16Matrix(rows: 256, columns: 256, bits: all)
        let widened = matrix.toTensor()
        #expect(widened.shape == [256, 256])
        let values = widened.scalars
        #expect(zip(values, all).allSatisfy { $0.bitPattern == UInt32($1) << 16 })
        let back = BFloat16Matrix(widened)
        for (bits, original) in zip(back.bits, all) {
            if Float(bitPattern: UInt32(original) << 16).isNaN {
                #expect(bits == original | 0x40)
            } else {
                #expect(bits == original)
            }
        }
    }

    @Test func matrixKeepsShapeAndSize() {
        let t = Tensor(shape: [2, 3], scalars: [1, -2, 0.5, 3.140625, 1e-3, -7])
        let m = BFloat16Matrix(t)
        #expect(m.shape == [2, 3] && m.rows == 2 && m.columns == 3 && m.byteCount == 12)
        let expected: [Float] = [1, -2, 0.5, 3.140625, Float(bitPattern: 0x3A83_0000), -7]
        #expect(m.toTensor().scalars == expected)
        let copied = m.withUnsafeBits { BFloat16Matrix(rows: 3, columns: 2, bits: Array($0)) }
        #expect(copied.toTensor().scalars == expected && copied.shape == [3, 2])
    }
}
