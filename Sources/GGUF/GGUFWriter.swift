import AtomicFiles
import Foundation

/// Builds a GGUF v3 file: metadata in insertion order, then the tensor directory and aligned tensor data. The file is
/// written to a temporary name beside the target and renamed, so a failed write never leaves a partial file.
public struct GGUFWriter {
    private var entries: [(String, GGUFValue)] = []
    private var tensors: [(name: String, shape: [Int], type: GGUFTensorType, data: [UInt8])] = []
    /// Alignment of tensor data; also recorded as `general.alignment` when it is not the default 32.
    public var alignment: Int

    /// An empty file whose tensor data will be aligned to `alignment` bytes (a power of two).
    public init(alignment: Int = 32) {
        precondition(alignment > 0 && alignment & (alignment - 1) == 0, "alignment must be a power of two")
        self.alignment = alignment
    }

    /// Adds (or replaces) a metadata entry.
    public mutating func set(_ key: String, _ value: GGUFValue) {
        if let index = entries.firstIndex(where: { $0.0 == key }) {
            entries[index].1 = value
        } else {
            entries.append((key, value))
        }
    }

    /// Adds a tensor with its raw bytes (already in `type`'s layout).
    public mutating func addTensor(name: String, shape: [Int], type: GGUFTensorType, data: [UInt8]) {
        tensors.append((name, shape, type, data))
    }

    /// The complete file contents.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        func append<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func appendString(_ s: String) {
            append(UInt64(s.utf8.count))
            out.append(contentsOf: s.utf8)
        }
        func appendPayload(_ value: GGUFValue) {
            switch value {
            case .uint8(let v): append(v)
            case .int8(let v): append(v)
            case .uint16(let v): append(v)
            case .int16(let v): append(v)
            case .uint32(let v): append(v)
            case .int32(let v): append(v)
            case .uint64(let v): append(v)
            case .int64(let v): append(v)
            case .float32(let v): append(v.bitPattern)
            case .float64(let v): append(v.bitPattern)
            case .bool(let v): append(UInt8(v ? 1 : 0))
            case .string(let s): appendString(s)
            case .array(let type, let elements):
                append(type.rawValue)
                append(UInt64(elements.count))
                for element in elements { appendPayload(element) }
            }
        }
        var allEntries = entries
        if alignment != 32, !allEntries.contains(where: { $0.0 == "general.alignment" }) {
            allEntries.append(("general.alignment", .uint32(UInt32(alignment))))
        }
        append(GGUFFile.magic)
        append(UInt32(3))
        append(UInt64(tensors.count))
        append(UInt64(allEntries.count))
        for (key, value) in allEntries {
            appendString(key)
            append(value.type.rawValue)
            appendPayload(value)
        }
        var offsets: [Int] = []
        var next = 0
        for tensor in tensors {
            offsets.append(next)
            next = (next + tensor.data.count + alignment - 1) / alignment * alignment
        }
        for (tensor, offset) in zip(tensors, offsets) {
            appendString(tensor.name)
            append(UInt32(tensor.shape.count))
            for d in tensor.shape { append(UInt64(d)) }
            append(tensor.type.rawValue)
            append(UInt64(offset))
        }
        func pad() { while out.count % alignment != 0 { out.append(0) } }
        pad()
        for tensor in tensors {
            out.append(contentsOf: tensor.data)
            pad()
        }
        return out
    }

    /// Writes the file to `path` (through a temporary file and a rename: never half-written).
    public func write(to path: String) throws {
        do { try AtomicFile.write(encoded(), to: path) } catch {
            throw GGUFError(path: path, problem: error.reason)
        }
    }
}
