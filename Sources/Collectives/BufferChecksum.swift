/// A 64-bit checksum of exact bits (Float buffers, integers, text), for comparing weights and settings across ranks: equal weights give equal
/// checksums, and a single flipped bit changes it. Not cryptographic; a few GB/s.
public struct BufferChecksum: Sendable, Equatable {
    /// The value so far.
    public private(set) var value: UInt64 = 0x243F_6A88_85A3_08D3

    /// An empty checksum.
    public init() {}

    /// Mixes in `buffer`'s bits and its length (so that moving a value between buffers changes the result).
    public mutating func combine(_ buffer: UnsafeBufferPointer<Float>) {
        combine(bytes: UnsafeRawBufferPointer(buffer))
    }

    /// Mixes in integers (token ids, counts) and their number.
    public mutating func combine(_ values: [Int]) {
        values.withUnsafeBytes { combine(bytes: $0) }
    }

    /// Mixes in a string's UTF-8.
    public mutating func combine(_ text: String) {
        Array(text.utf8).withUnsafeBytes { combine(bytes: $0) }
    }

    /// Mixes in raw bytes and their length.
    public mutating func combine(bytes: UnsafeRawBufferPointer) {
        var h = value ^ UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        // Eight bytes per round: a multiply-xorshift mix in the style of wyhash's, fast and well spread.
        while i + 8 <= bytes.count {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        while i < bytes.count {
            h = (h ^ UInt64(bytes[i])) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
            i += 1
        }
        value = h
    }
}
