import GGUF

/// Float32 values in the GGUF tensor layouts an export writes — F32, F16 and Q8_0 — the inverse of `Dequantization`,
/// with ggml's rounding so a file matches what llama.cpp's own tools would write for the same weights.
enum Quantization {
    /// The types we can write.
    static let supported: [GGUFTensorType] = [.f32, .f16, .q8_0]

    /// `values` encoded as `type` (one of `supported`; for Q8_0 the count is a multiple of 32).
    static func bytes(_ values: UnsafeBufferPointer<Float>, type: GGUFTensorType) -> [UInt8] {
        switch type {
        case .f32: return f32(values)
        case .f16: return f16(values)
        case .q8_0: return q8_0(values)
        default: preconditionFailure("Quantization: cannot write \(type)")
        }
    }

    /// Little-endian IEEE single precision.
    static func f32(_ values: UnsafeBufferPointer<Float>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 4 * values.count)
        out.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() {
                raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
            }
        }
        return out
    }

    /// Little-endian IEEE half precision, rounded to nearest even (as ggml's and numpy's conversions do).
    static func f16(_ values: UnsafeBufferPointer<Float>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 2 * values.count)
        out.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() {
                raw.storeBytes(of: Float16(v).bitPattern.littleEndian, toByteOffset: 2 * i, as: UInt16.self)
            }
        }
        return out
    }

    /// Blocks of 32 values as { f16 d; i8 qs[32] }, as ggml's `quantize_row_q8_0_ref` (and gguf-py's Q8_0, which
    /// matches it bit for bit): d = max|x| / 127 and qs = round(x · (1/d)), halves away from zero, with 1/d taken in
    /// single precision before d is stored as f16. Multiplying by 1/d, not dividing by d, is part of the contract:
    /// the two round some values differently.
    static func q8_0(_ values: UnsafeBufferPointer<Float>) -> [UInt8] {
        precondition(values.count % 32 == 0, "Q8_0 needs a multiple of 32 values, got \(values.count)")
        let blocks = values.count / 32
        var out = [UInt8](repeating: 0, count: 34 * blocks)
        out.withUnsafeMutableBytes { raw in
            for block in 0..<blocks {
                let x = UnsafeBufferPointer(rebasing: values[(32 * block)..<(32 * block + 32)])
                var amax: Float = 0
                for v in x { amax = max(amax, abs(v)) }
                let d = amax / 127, inverse: Float = d != 0 ? 1 / d : 0
                let base = 34 * block
                raw.storeBytes(of: Float16(d).bitPattern.littleEndian, toByteOffset: base, as: UInt16.self)
                for (j, v) in x.enumerated() {
                    raw[base + 2 + j] = UInt8(bitPattern: Int8((v * inverse).rounded(.toNearestOrAwayFromZero)))
                }
            }
        }
        return out
    }
}
