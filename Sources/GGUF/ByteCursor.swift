/// Bounds-checked little-endian reads from a byte buffer; every overrun becomes a `GGUFError` saying what was being
/// read and where, so a truncated or corrupt file never crashes the reader.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    let path: String
    private(set) var offset: Int

    init(bytes: UnsafeRawBufferPointer, path: String, offset: Int = 0) {
        self.bytes = bytes
        self.path = path
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    func fail(_ problem: String) -> GGUFError { GGUFError(path: path, problem: problem) }

    mutating func require(_ count: Int, for what: @autoclosure () -> String) throws {
        guard count >= 0, count <= remaining else {
            throw fail(
                "truncated: \(what()) needs \(count) bytes at offset \(offset), the file has \(max(remaining, 0)) left")
        }
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        try require(MemoryLayout<T>.size, for: what())
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    /// Reads a u64 count or length and checks it fits in `Int`.
    mutating func readCount(_ what: @autoclosure () -> String) throws -> Int {
        let raw = try read(UInt64.self, what())
        guard let count = Int(exactly: raw), count <= bytes.count else {
            throw fail("corrupt: \(what()) is \(raw) at offset \(offset - 8), larger than the file")
        }
        return count
    }

    mutating func readString(_ what: @autoclosure () -> String) throws -> String {
        let length = try readCount("length of \(what())")
        try require(length, for: what())
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
        offset += length
        return String(decoding: slice, as: UTF8.self)
    }

    mutating func skip(to newOffset: Int, _ what: @autoclosure () -> String) throws {
        try require(newOffset - offset, for: what())
        offset = newOffset
    }
}
