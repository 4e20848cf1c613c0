import Foundation
import GGUF
import Testing

@testable import LanguageModels

/// The exporter's encodings, byte for byte against blocks worked out by hand from ggml's definitions.
@Suite struct QuantizationTests {
    func q8_0(_ values: [Float]) -> [UInt8] { values.withUnsafeBufferPointer { Quantization.q8_0($0) } }

    /// One block: 32 values, the first few given, the rest zero.
    func block(_ head: [Float]) -> [Float] { head + [Float](repeating: 0, count: 32 - head.count) }

    @Test func q8_0ScaleIsTheLargestMagnitudeOver127() {
        // max|x| = 127: d = 1 (f16 0x3C00), each value rounds to nearest, halves away from zero.
        let bytes = q8_0(block([127, 2.5, -2.5, 0.5, -0.49, 3.4, -126.6]))
        #expect(bytes.count == 34)
        #expect(Array(bytes[0..<2]) == [0x00, 0x3C])
        #expect(Array(bytes[2..<9]).map { Int8(bitPattern: $0) } == [127, 3, -3, 1, 0, 3, -127])
        #expect(bytes[9...].allSatisfy { $0 == 0 })
    }

    @Test func q8_0OfZerosHasZeroScale() {
        #expect(q8_0(block([])) == [UInt8](repeating: 0, count: 34))
    }

    @Test func q8_0StoresTheScaleAsHalfAndMultipliesByItsInverse() {
        // max|x| = 1: d = 1/127 = 0.007874016 (f16 0x2008), 1/d = 127 in single precision.
        let unit = q8_0(block([1, 0.5, -0.5, 0.3, -1, 0.1]))
        #expect(Array(unit[0..<2]) == [0x08, 0x20])
        #expect(Array(unit[2..<8]).map { Int8(bitPattern: $0) } == [127, 64, -64, 38, -127, 13])
        // max|x| = 3: d = 3/127 (f16 0x260C), 1/d = 42.333332; 0.08267716 · (1/d) = 3.4999998 rounds to 3, where
        // 0.08267716 / d would give 3.5 and round to 4.
        let three = q8_0(block([3, Float(bitPattern: 1_034_506_917)]))
        #expect(Array(three[0..<2]) == [0x0C, 0x26])
        #expect(Array(three[2..<4]).map { Int8(bitPattern: $0) } == [127, 3])
    }

    @Test func q8_0BlocksFollowEachOther() {
        let bytes = q8_0(block([127]) + block([-63.5]))
        #expect(bytes.count == 68)
        // The second block: d = 0.5 (f16 0x3800), -63.5 · 2 = -127.
        #expect(Array(bytes[34..<37]) == [0x00, 0x38, UInt8(bitPattern: -127)])
    }

    @Test func f16RoundsToNearestEven() {
        let values: [Float] = [1, 1 + 0x1p-11, 1 + 3 * 0x1p-11, -2, 65504]
        let bytes = values.withUnsafeBufferPointer { Quantization.f16($0) }
        #expect(bytes == [0x00, 0x3C, 0x00, 0x3C, 0x02, 0x3C, 0x00, 0xC0, 0xFF, 0x7B])
    }

    @Test(arguments: [GGUFTensorType.f32, .f16, .q8_0])
    func dequantizationReadsBackWhatWasWritten(_ type: GGUFTensorType) throws {
        let values = (0..<256).map { Float(sin(Double($0) * 0.37)) * 3 }
        let bytes = values.withUnsafeBufferPointer { Quantization.bytes($0, type: type) }
        #expect(bytes.count == type.byteCount(elements: values.count))
        let back = try #require(bytes.withUnsafeBytes { Dequantization.floats($0, type: type, count: values.count) })
        // Error bounds: none for F32, half an f16 step (2^-11 relative), half a Q8_0 step (d/2 ≤ max|x|/254) plus the
        // f16 rounding of d (2^-11 relative, times 127 steps).
        let bound: Float = type == .f32 ? 0 : type == .f16 ? 3 * 0x1p-11 : 3 / 254 + 3 * 0x1p-11
        #expect(zip(values, back).allSatisfy { abs($0 - $1) <= bound * (type == .f16 ? abs($0) : 1) })
    }
}
