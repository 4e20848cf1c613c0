/// bfloat16 ↔ Float32. A bfloat16 is the top half of a Float32 (sign, the same 8 exponent bits, 7 mantissa bits),
/// so widening is a 16-bit shift and exact; narrowing rounds the dropped half to nearest, ties to even.
///
/// No instruction on the target machines converts bfloat16 (AVX2 has none, AVX512_BF16 is rare), so the kernels widen
/// with integer shifts; the loops below are written so that LLVM vectorises them (zero-extend, shift, store).
enum BFloat16 {
    /// The bfloat16 nearest to `value`, ties to even; ±∞ and ±0 keep their sign, NaN stays a (quiet) NaN.
    @inline(__always)
    static func bits(_ value: Float) -> UInt16 {
        let b = value.bitPattern
        // A NaN whose payload sits only in the dropped half would truncate to infinity: set the quiet bit instead.
        if b & 0x7FFF_FFFF > 0x7F80_0000 { return UInt16(truncatingIfNeeded: b >> 16) | 0x0040 }
        // Adding 0x7FFF plus the kept half's lowest bit carries into the kept half exactly when the dropped half is
        // above one half, or equal to it with an odd kept half; a carry out of the largest finite value gives ∞.
        return UInt16(truncatingIfNeeded: (b &+ 0x7FFF &+ ((b >> 16) & 1)) >> 16)
    }

    /// The Float32 with the same value as the bfloat16 `bits` (exact).
    @inline(__always)
    static func float(_ bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }

    /// dst[i] = float(src[i]) for `count` values.
    @inline(__always)
    static func widen(_ src: UnsafePointer<UInt16>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { dst[i] = Float(bitPattern: UInt32(src[i]) << 16) }
    }

    /// dst[i] = bits(src[i]) for `count` values.
    @inline(__always)
    static func narrow(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<UInt16>, count: Int) {
        for i in 0..<count { dst[i] = bits(src[i]) }
    }

    /// `VectorMath.pairWidth` bfloat16 values at `p` as two Float32 vectors: the values at even
    /// positions and those at odd positions.
    ///
    /// Read as 32-bit words, each word holds an even-position value in its low half and the next value in its high
    /// half (little-endian), so a shift and a mask widen both without any shuffle. Layouts made for the kernels store
    /// their columns in this pairwise order.
    @inline(__always)
    static func loadPairs(_ p: UnsafePointer<UInt16>) -> (even: RowVector, odd: RowVector) {
        let words = UnsafeRawPointer(p).loadUnaligned(as: RowVectorWords.self)
        let even = unsafeBitCast(words &<< 16, to: RowVector.self)
        let odd = unsafeBitCast(words & 0xFFFF_0000, to: RowVector.self)
        return (even, odd)
    }
}
