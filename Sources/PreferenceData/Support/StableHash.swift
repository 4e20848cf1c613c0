/// A 64-bit hash that is the same in every process, on every run and on every machine.
///
/// Swift's `Hasher` is seeded randomly per process, so it cannot key anything that is stored (content hashes in the
/// store) or that must be reproducible for a seed (sampling orders). This hash is not cryptographic: the store uses it
/// only to find candidates and always compares the full text, and the samplers use it only to order items.
package enum StableHash {
    /// The hash of a string's UTF-8 bytes.
    package static func of(_ string: String, seed: UInt64 = 0) -> UInt64 {
        var copy = string
        return copy.withUTF8 { of(UnsafeRawBufferPointer($0), seed: seed) }
    }

    /// The hash of raw bytes.
    package static func of(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let count = bytes.count
        var state = mix(seed ^ 0x9E37_79B9_7F4A_7C15) ^ (UInt64(count) &* 0xC2B2_AE3D_27D4_EB4F)
        var offset = 0
        // Eight bytes per step, read as little-endian so the value does not depend on the CPU's byte order.
        while offset + 8 <= count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            state = absorb(state, word)
            offset += 8
        }
        if offset < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                tail |= UInt64(bytes[offset]) << shift
                shift += 8
                offset += 1
            }
            state = absorb(state, tail ^ 0x8000_0000_0000_0000)
        }
        return mix(state)
    }

    /// Combines two hashes into one (order matters).
    package static func combine(_ first: UInt64, _ second: UInt64) -> UInt64 {
        mix(first ^ (second &* 0x9E37_79B9_7F4A_7C15 &+ 0x632B_E59B_D9B4_E019))
    }

    /// A key that orders items pseudo-randomly for a seed: sorting by it is a seeded shuffle that does not depend on
    /// the order the items arrived in.
    package static func orderKey(seed: UInt64, item: UInt64) -> UInt64 {
        mix(item ^ mix(seed &+ 0xD1B5_4A32_D192_ED03))
    }

    /// SplitMix64's finaliser: every input bit affects every output bit.
    package static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    private static func absorb(_ state: UInt64, _ word: UInt64) -> UInt64 {
        let scrambled = (word &* 0x87C3_7B91_1142_53D5)
        let rotated = (scrambled << 31) | (scrambled >> 33)
        let next = (state ^ (rotated &* 0x4CF5_AD43_2745_937F))
        return ((next << 27) | (next >> 37)) &* 5 &+ 0x52DC_E729
    }
}
