import GGUF
import TensorEngine
import Testing

@testable import LanguageModels

/// Block formats decoded by hand-built blocks with known values.
@Suite struct DequantizationTests {
    func half(_ x: Float) -> [UInt8] { withUnsafeBytes(of: Float16(x).bitPattern.littleEndian) { Array($0) } }

    @Test func q8_0() {
        let bytes = half(0.5) + (0..<32).map { UInt8(bitPattern: Int8($0 - 16)) }
        let values = bytes.withUnsafeBytes { Dequantization.floats($0, type: .q8_0, count: 32) }!
        #expect(values == (0..<32).map { Float($0 - 16) * 0.5 })
    }

    @Test func q4_0AndQ4_1() {
        // Low nibble j, high nibble 15 − j.
        let nibbles = (0..<16).map { UInt8($0) | UInt8(15 - $0) << 4 }
        let q40 = (half(2) + nibbles).withUnsafeBytes { Dequantization.floats($0, type: .q4_0, count: 32) }!
        let low40: [Float] = (0..<16).map { Float($0 - 8) * 2 }, high40: [Float] = (0..<16).map { Float(7 - $0) * 2 }
        #expect(q40 == low40 + high40)
        let q41 = (half(0.25) + half(-1) + nibbles).withUnsafeBytes {
            Dequantization.floats($0, type: .q4_1, count: 32)
        }!
        let low41: [Float] = (0..<16).map { Float($0) * 0.25 - 1 },
            high41: [Float] = (0..<16).map { Float(15 - $0) * 0.25 - 1 }
        #expect(q41 == low41 + high41)
    }

    @Test func unsupportedTypeIsNil() {
        #expect(
            [UInt8](repeating: 0, count: 256).withUnsafeBytes { Dequantization.floats($0, type: .q6_K, count: 256) }
                == nil)
    }

    @Test func rotaryRowsAreUnpermuted() {
        // One head of 4 rows: GGUF order (i, half) = rows [h0 i0, h0 i1 … ] → HF (half, i).
        // GGUF rows: (i0,half0) (i0,half1) (i1,half0) (i1,half1)
        let gguf = TensorEngine.Tensor(shape: [4, 1], scalars: [0, 1, 2, 3])
        #expect(RotaryRowOrder.fromGGUF(gguf, heads: 1).scalars == [0, 2, 1, 3])
    }
}
