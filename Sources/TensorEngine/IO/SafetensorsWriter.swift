import AtomicFiles
import Foundation
import JSONSupport

/// Whole-file convenience functions for the safetensors format (the checkpoint format of Hugging Face and
/// PyTorch). For selective or lazy reading open a `SafetensorsFile` instead.
public enum Safetensors {
    /// Reads every float tensor (F32, F64, F16, BF16) of the file as Float32; integer tensors are skipped.
    public static func read(_ url: URL) throws -> [String: Tensor] {
        let file = try SafetensorsFile(url: url)
        var out: [String: Tensor] = [:]
        for name in file.names where SafetensorsDType(rawValue: file.dtype(of: name) ?? "")?.isFloat == true {
            out[name] = try file.tensor(name)
        }
        return out
    }

    /// Writes `tensors` as F32 with keys in sorted order, so the same tensors always give the same bytes.
    ///
    /// The file is written under a temporary name in the target's directory, flushed to disk, then renamed over
    /// the target: a crash or a full disk leaves either the old file or the new one, never a half-written one.
    /// On failure the temporary file is removed and `SafetensorsError.writeFailed` is thrown.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws {
        let path = url.path
        if tensors["__metadata__"] != nil {
            throw SafetensorsError.writeFailed(
                path: path, reason: "\"__metadata__\" is reserved and cannot name a tensor")
        }
        let names = tensors.keys.sorted()
        var header = headerBytes(names.map { ($0, tensors[$0]!) }, metadata: metadata)
        // Pad with spaces (as the reference writer does) so the data section starts 8-byte aligned.
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))

        do {
            let file = try AtomicFile(path: path)
            var length = UInt64(header.count).littleEndian
            try withUnsafeBytes(of: &length) { (raw) throws(AtomicFileError) in try file.write(raw) }
            try file.write(header)
            for name in names {
                try tensors[name]!.withUnsafeBufferPointer { buffer in
                    #if _endian(little)
                    try file.write(UnsafeRawBufferPointer(buffer))
                    #else
                    try file.write(buffer.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
                    #endif
                }
            }
            try file.commit()
        } catch let error as AtomicFileError {
            throw SafetensorsError.writeFailed(path: path, reason: error.reason)
        }
    }

    /// The JSON header: `__metadata__` first (only if non-empty), then one entry per tensor with consecutive offsets.
    private static func headerBytes(_ tensors: [(String, Tensor)], metadata: [String: String]) -> [UInt8] {
        var parts: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            parts.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for (name, t) in tensors {
            let end = offset + t.count * 4
            let shape = t.shape.map(String.init).joined(separator: ",")
            parts.append(
                "\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        return Array("{\(parts.joined(separator: ","))}".utf8)
    }

    /// A JSON string literal; tensor names and metadata are arbitrary user text.
    static func jsonString(_ s: String) -> String { JSONWriter.quoted(s) }
}
