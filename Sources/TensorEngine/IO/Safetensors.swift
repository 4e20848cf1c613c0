import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Element types of the safetensors format whose size is known, so that offsets can be validated even for
/// tensors this engine cannot convert (a checkpoint with one U64 buffer should still open).
enum SafetensorsDType: String {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8", bool = "BOOL"
    case u64 = "U64", u32 = "U32", u16 = "U16", c64 = "C64"
    case f8e4m3 = "F8_E4M3", f8e5m2 = "F8_E5M2", f8e8m0 = "F8_E8M0"

    var size: Int {
        switch self {
        case .f64, .i64, .u64, .c64: 8
        case .f32, .i32, .u32: 4
        case .f16, .bf16, .i16, .u16: 2
        case .i8, .u8, .bool, .f8e4m3, .f8e5m2, .f8e8m0: 1
        }
    }

    var isFloat: Bool { [.f64, .f32, .f16, .bf16].contains(self) }
}

/// A read-only view of a `.safetensors` file, memory-mapped so that opening a large checkpoint costs nothing
/// until a tensor is asked for.
///
/// The whole header is validated in `init`, so every later failure is about the caller's request (a missing name,
/// the wrong kind), never about the file. Immutable after `init`, hence safe to share between threads. As with any
/// mapped file, truncating it on disk while it is open is undefined (SIGBUS).
public final class SafetensorsFile: @unchecked Sendable {
    struct Entry {
        let dtype: SafetensorsDType
        let shape: [Int]
        let start: Int
        let end: Int
    }

    /// Where the file was opened from.
    public let url: URL
    /// Tensor names in sorted order (without `__metadata__`).
    public let names: [String]
    /// The free-form `__metadata__` map (empty when the file has none).
    public let metadata: [String: String]

    private let bytes: FileBytes
    private let dataStart: Int
    private let entries: [String: Entry]

    /// Opens and validates `url`; throws a `SafetensorsError` describing the first problem found.
    public init(url: URL) throws {
        let path = url.path
        let bytes = try FileBytes(path: path)
        let (headerLength, raw) = try Self.readHeader(bytes, path: path)
        let dataSize = bytes.count - 8 - headerLength
        self.url = url
        self.bytes = bytes
        self.dataStart = 8 + headerLength
        self.metadata = raw.metadata
        self.names = raw.entries.keys.sorted()
        self.entries = try Self.validate(raw.entries, names: names, dataSize: dataSize, path: path)
    }

    /// The dtype string of `name` as stored (e.g. "F32", "I64"), or nil if absent.
    public func dtype(of name: String) -> String? { entries[name]?.dtype.rawValue }

    /// The shape of `name`, or nil if absent.
    public func shape(of name: String) -> [Int]? { entries[name]?.shape }

    /// Reads a float tensor (F32, F64, F16 or BF16) as Float32. F64 values are rounded to nearest.
    public func tensor(_ name: String) throws -> Tensor {
        let e = try entry(name)
        guard e.dtype.isFloat else {
            throw SafetensorsError.wrongKind(
                path: url.path, name: name, dtype: e.dtype.rawValue,
                expected: "a float dtype (F32, F64, F16 or BF16)")
        }
        let out = Tensor(uninitializedShape: e.shape)
        let src = bytes.base + dataStart + e.start
        let dst = out.data
        let n = out.count
        switch e.dtype {
        case .f32:
            #if _endian(little)
            if n > 0 { UnsafeMutableRawPointer(dst).copyMemory(from: src, byteCount: n * 4) }  // any alignment
            #else
            for i in 0..<n { dst[i] = Float(bitPattern: littleEndian(src, i, UInt32.self)) }
            #endif
        case .f64:
            for i in 0..<n { dst[i] = Float(Double(bitPattern: littleEndian(src, i, UInt64.self))) }
        case .f16:
            for i in 0..<n { dst[i] = floatFromHalfBits(littleEndian(src, i, UInt16.self)) }
        case .bf16:
            for i in 0..<n { dst[i] = Float(bitPattern: UInt32(littleEndian(src, i, UInt16.self)) << 16) }
        default:
            preconditionFailure("unreachable: isFloat covers exactly the cases above")
        }
        return out
    }

    /// Reads an integer or boolean tensor (I64, I32, I16, I8, U32, U16, U8, BOOL) as `Int`s; BOOL gives 0 or 1.
    public func intTensor(_ name: String) throws -> IntTensor {
        let e = try entry(name)
        let n = e.shape.reduce(1, *)
        let src = bytes.base + dataStart + e.start
        let values: [Int]
        switch e.dtype {
        case .i64: values = (0..<n).map { Int(Int64(bitPattern: littleEndian(src, $0, UInt64.self))) }
        case .i32: values = (0..<n).map { Int(Int32(bitPattern: littleEndian(src, $0, UInt32.self))) }
        case .i16: values = (0..<n).map { Int(Int16(bitPattern: littleEndian(src, $0, UInt16.self))) }
        case .i8: values = (0..<n).map { Int(Int8(bitPattern: src.load(fromByteOffset: $0, as: UInt8.self))) }
        case .u32: values = (0..<n).map { Int(littleEndian(src, $0, UInt32.self)) }
        case .u16: values = (0..<n).map { Int(littleEndian(src, $0, UInt16.self)) }
        case .u8: values = (0..<n).map { Int(src.load(fromByteOffset: $0, as: UInt8.self)) }
        case .bool: values = (0..<n).map { src.load(fromByteOffset: $0, as: UInt8.self) != 0 ? 1 : 0 }
        default:
            throw SafetensorsError.wrongKind(
                path: url.path, name: name, dtype: e.dtype.rawValue,
                expected: "an integer dtype (I64, I32, I16, I8, U32, U16, U8 or BOOL)")
        }
        return IntTensor(shape: e.shape, scalars: values)
    }

    private func entry(_ name: String) throws -> Entry {
        guard let e = entries[name] else { throw SafetensorsError.missingTensor(path: url.path, name: name) }
        return e
    }

    // MARK: Header parsing

    /// The safetensors reference implementation refuses headers above 100 MB; a larger length field means the
    /// first 8 bytes are not a safetensors header at all, rather than a file cut short.
    static let maxHeaderLength = 100_000_000

    private static func readHeader(_ bytes: FileBytes, path: String) throws -> (Int, RawHeader) {
        func bad(_ detail: String) -> SafetensorsError { .badHeader(path: path, detail: detail) }
        func cut(_ detail: String) -> SafetensorsError { .truncated(path: path, detail: detail) }
        guard bytes.count >= 8 else {
            throw cut("the file has \(bytes.count) bytes, fewer than the 8-byte header length")
        }
        let declared = UInt64(littleEndian: bytes.base.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(maxHeaderLength) else {
            throw bad(
                "header length \(declared) exceeds the \(maxHeaderLength)-byte limit (file is \(bytes.count) bytes)")
        }
        let length = Int(declared)
        let available = bytes.count - 8
        if available > 0, bytes.base.load(fromByteOffset: 8, as: UInt8.self) != UInt8(ascii: "{") {
            throw bad("the header does not start with '{'")
        }
        guard length <= available else {
            throw cut("the file ends inside the header (\(length) header bytes declared, \(available) present)")
        }
        let json = Data(bytes: bytes.base + 8, count: length)
        do {
            return (length, try JSONDecoder().decode(RawHeader.self, from: json))
        } catch let problem as HeaderProblem {
            throw bad(problem.detail)
        } catch {
            throw bad("the header is not valid JSON")
        }
    }

    private static func validate(
        _ raw: [String: RawEntry], names: [String], dataSize: Int,
        path: String
    ) throws -> [String: Entry] {
        var entries: [String: Entry] = [:]
        for name in names {
            let r = raw[name]!
            func bad(_ detail: String) -> SafetensorsError {
                .badHeader(path: path, detail: "tensor \(SafetensorsError.quote(name)) \(detail)")
            }
            guard let dtype = SafetensorsDType(rawValue: r.dtype) else {
                throw SafetensorsError.unknownDtype(path: path, name: name, dtype: r.dtype)
            }
            guard r.shape.allSatisfy({ $0 >= 0 }) else { throw bad("has a negative dimension in shape \(r.shape)") }
            guard r.offsets.count == 2, r.offsets[0] >= 0, r.offsets[1] >= 0 else {
                throw bad("data_offsets \(r.offsets) are not two non-negative integers")
            }
            let (start, end) = (r.offsets[0], r.offsets[1])
            func badOffsets(_ detail: String) -> SafetensorsError {
                .badOffsets(path: path, name: name, detail: "data_offsets [\(start), \(end)] \(detail)")
            }
            guard end >= start else { throw badOffsets("end before they start") }
            // Overflow-checked because the shape comes from the file; a zero dimension wins over any overflow.
            var needed = r.shape.contains(0) ? 0 : dtype.size
            for d in r.shape where needed != 0 {
                let (p, overflow) = needed.multipliedReportingOverflow(by: d)
                if overflow { throw bad("shape \(r.shape) is too large") }
                needed = p
            }
            guard end - start == needed else {
                throw badOffsets("span \(end - start) bytes but shape \(r.shape) of \(dtype.rawValue) needs \(needed)")
            }
            entries[name] = Entry(dtype: dtype, shape: r.shape, start: start, end: end)
        }
        try checkLayout(entries, dataSize: dataSize, path: path)
        return entries
    }

    /// Rejects overlapping tensors and tensors past the data section. Writers lay tensors out back to back from
    /// offset 0, so a gap-free layout that runs past the end of the file means the file was cut short; any other
    /// layout that does means the header is wrong.
    private static func checkLayout(_ entries: [String: Entry], dataSize: Int, path: String) throws {
        let ordered = entries.filter { $0.value.end > $0.value.start }
            .sorted { ($0.value.start, $0.key) < ($1.value.start, $1.key) }
        var reach: (name: String, end: Int)? = nil
        var gapFree = true
        for (name, e) in ordered {
            if let r = reach, e.start < r.end {
                throw SafetensorsError.badOffsets(
                    path: path, name: name,
                    detail: "data_offsets [\(e.start), \(e.end)] overlap tensor \(SafetensorsError.quote(r.name))")
            }
            if e.start != (reach?.end ?? 0) { gapFree = false }
            reach = (name, e.end)
        }
        let needed = entries.values.map(\.end).max() ?? 0
        guard needed > dataSize else { return }
        if gapFree && needed == (reach?.end ?? 0) {
            let detail = "the data section has \(dataSize) bytes but the tensors need \(needed)"
            throw SafetensorsError.truncated(path: path, detail: detail)
        }
        let (name, e) = entries.filter { $0.value.end > dataSize }
            .min { ($0.value.start, $0.key) < ($1.value.start, $1.key) }!
        throw SafetensorsError.badOffsets(
            path: path, name: name,
            detail: "data_offsets [\(e.start), \(e.end)] exceed the data section (\(dataSize) bytes)")
    }
}

/// Element `i` of a little-endian array of `T` at `base`; safetensors offsets need not be aligned.
@inline(__always)
private func littleEndian<T: FixedWidthInteger>(_ base: UnsafeRawPointer, _ i: Int, _: T.Type) -> T {
    T(littleEndian: base.loadUnaligned(fromByteOffset: i &* MemoryLayout<T>.size, as: T.self))
}

/// IEEE 754 binary16 → binary32, exact for every input. Done by hand because `Float16` is missing on some
/// platforms (macOS on Intel).
@inline(__always)
func floatFromHalfBits(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exponent = UInt32(h >> 10) & 0x1F
    let mantissa = UInt32(h & 0x3FF)
    switch exponent {
    case 0:  // zero or subnormal: mantissa × 2⁻²⁴, exact in Float32
        return Float(bitPattern: (Float(mantissa) * 0x1p-24).bitPattern | sign)
    case 0x1F:  // inf or NaN; the payload moves along so NaNs stay NaNs
        return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    default:  // rebias the exponent from 15 to 127
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
}

/// The header as decoded from JSON, before any semantic check.
private struct RawEntry {
    let dtype: String
    let shape: [Int]
    let offsets: [Int]
}

/// A structural header problem found while decoding, turned into `SafetensorsError.badHeader` by the caller
/// (which knows the path).
private struct HeaderProblem: Error {
    let detail: String
}

private struct RawHeader: Decodable {
    var entries: [String: RawEntry] = [:]
    var metadata: [String: String] = [:]

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private enum Field: String, CodingKey { case dtype, shape, data_offsets }

    init(from decoder: any Decoder) throws {
        guard let top = try? decoder.container(keyedBy: Key.self) else {
            throw HeaderProblem(detail: "the header is not a JSON object")
        }
        for key in top.allKeys {
            let name = key.stringValue
            let q = SafetensorsError.quote(name)
            if name == "__metadata__" {
                guard let map = try? top.decode([String: String].self, forKey: key) else {
                    throw HeaderProblem(detail: "__metadata__ is not a map from strings to strings")
                }
                metadata = map
                continue
            }
            guard let fields = try? top.nestedContainer(keyedBy: Field.self, forKey: key) else {
                throw HeaderProblem(detail: "entry \(q) is not a JSON object")
            }
            func field<T: Decodable>(_ f: Field, _ kind: String) throws -> T {
                guard fields.contains(f) else { throw HeaderProblem(detail: "tensor \(q) has no \(f.rawValue)") }
                guard let v = try? fields.decode(T.self, forKey: f) else {
                    throw HeaderProblem(detail: "tensor \(q) \(f.rawValue) is not \(kind)")
                }
                return v
            }
            entries[name] = RawEntry(
                dtype: try field(.dtype, "a string"),
                shape: try field(.shape, "an array of integers"),
                offsets: try field(.data_offsets, "an array of integers"))
        }
    }
}

/// The bytes of a whole file: mapped when possible (no copy, pages load on demand), read into memory otherwise
/// (e.g. filesystems without mmap support).
private final class FileBytes {
    let base: UnsafeRawPointer
    let count: Int
    private let isMapped: Bool

    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SafetensorsError.unreadable(path: path, reason: SafetensorsError.errnoText()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SafetensorsError.unreadable(path: path, reason: SafetensorsError.errnoText())
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw SafetensorsError.unreadable(path: path, reason: "not a regular file")
        }
        count = Int(info.st_size)
        // mmap rejects length 0, and an empty file needs no memory anyway.
        if count > 0, let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0),
            p != UnsafeMutableRawPointer(bitPattern: -1)
        {
            base = UnsafeRawPointer(p)
            isMapped = true
            return
        }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
        var done = 0
        while done < count {
            let r = pread(fd, buffer + done, count - done, off_t(done))
            if r < 0 && errno == EINTR { continue }
            if r <= 0 {
                let reason = r < 0 ? SafetensorsError.errnoText() : "file shrank while being read"
                buffer.deallocate()
                throw SafetensorsError.unreadable(path: path, reason: reason)
            }
            done += r
        }
        base = UnsafeRawPointer(buffer)
        isMapped = false
    }

    deinit {
        if isMapped { munmap(UnsafeMutableRawPointer(mutating: base), count) } else { base.deallocate() }
    }
}
