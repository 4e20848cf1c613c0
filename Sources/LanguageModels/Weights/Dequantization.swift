import GGUF

/// Converts GGUF tensor data to Float32: F32, F16, BF16 and the block formats Q8_0, Q4_0 and Q4_1 (blocks of 32
/// values sharing a half-precision scale, and for Q4_1 a minimum).
enum Dequantization {
    /// The types we can read.
    static let supported: [GGUFTensorType] = [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1]

    /// The `count` values of `bytes`, or nil for an unsupported type.
    static func floats(_ bytes: UnsafeRawBufferPointer, type: GGUFTensorType, count: Int) -> [Float]? {
        var out = [Float](repeating: 0, count: count)
        let ok: Bool = out.withUnsafeMutableBufferPointer { dst in
            let o = dst.baseAddress!
            func half(_ offset: Int) -> Float {
                Float(Float16(bitPattern: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            }
            switch type {
            case .f32:
                for i in 0..<count { o[i] = bytes.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) }
            case .f16:
                for i in 0..<count { o[i] = half(2 * i) }
            case .bf16:
                for i in 0..<count {
                    o[i] = Float(bitPattern: UInt32(bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16)
                }
            case .q8_0:  // { f16 d; i8 qs[32] }
                for block in 0..<(count / 32) {
                    let base = block * 34, d = half(base)
                    for j in 0..<32 { o[block * 32 + j] = Float(Int8(bitPattern: bytes[base + 2 + j])) * d }
                }
            case .q4_0:  // { f16 d; u8 qs[16] }: low nibbles are values 0…15, high nibbles 16…31; value (q − 8)·d
                for block in 0..<(count / 32) {
                    let base = block * 18, d = half(base)
                    for j in 0..<16 {
                        let q = bytes[base + 2 + j]
                        o[block * 32 + j] = Float(Int(q & 0x0F) - 8) * d
                        o[block * 32 + j + 16] = Float(Int(q >> 4) - 8) * d
                    }
                }
            case .q4_1:  // { f16 d; f16 m; u8 qs[16] }: value q·d + m
                for block in 0..<(count / 32) {
                    let base = block * 20, d = half(base), m = half(base + 2)
                    for j in 0..<16 {
                        let q = bytes[base + 4 + j]
                        o[block * 32 + j] = Float(q & 0x0F) * d + m
                        o[block * 32 + j + 16] = Float(q >> 4) * d + m
                    }
                }
            default:
                return false
            }
            return true
        }
        return ok ? out : nil
    }
}
