import Foundation
import JSONSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
            throw SafetensorsError.writeFailed(path: path, reason: "\"__metadata__\" is reserved and cannot name a tensor")
        }
        let names = tensors.keys.sorted()
        var header = headerBytes(names.map { ($0, tensors[$0]!) }, metadata: metadata)
        // Pad with spaces (as the reference writer does) so the data section starts 8-byte aligned.
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))

        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let reason = SafetensorsError.errnoText()
            throw SafetensorsError.writeFailed(path: path, reason: "cannot create a temporary file next to it: \(reason)")
        }
        var isOpen = true
        do {
            var length = UInt64(header.count).littleEndian
            try writeAll(fd, &length, MemoryLayout<UInt64>.size)
            try header.withUnsafeBytes { try writeAll(fd, $0.baseAddress!, $0.count) }
            for name in names {
                try tensors[name]!.withUnsafeBufferPointer { buffer in
                    #if _endian(little)
                    if let base = buffer.baseAddress { try writeAll(fd, base, buffer.count * 4) }
                    #else
                    let le = buffer.map { $0.bitPattern.littleEndian }
                    try le.withUnsafeBytes { if let base = $0.baseAddress { try writeAll(fd, base, $0.count) } }
                    #endif
                }
            }
            // fsync before rename: otherwise a crash can leave the new name pointing at unwritten blocks.
            guard fsync(fd) == 0 else { throw IOFailure(step: "fsync", code: errno) }
            isOpen = false
            guard close(fd) == 0 else { throw IOFailure(step: "close", code: errno) }
            guard rename(temp, path) == 0 else { throw IOFailure(step: "rename", code: errno) }
        } catch {
            if isOpen { close(fd) }
            unlink(temp)
            let reason = (error as? IOFailure).map { "\($0.step): \(String(cString: strerror($0.code)))" } ?? "\(error)"
            throw SafetensorsError.writeFailed(path: path, reason: reason)
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
            parts.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        return Array("{\(parts.joined(separator: ","))}".utf8)
    }

    /// A JSON string literal; tensor names and metadata are arbitrary user text.
    static func jsonString(_ s: String) -> String { JSONWriter.quoted(s) }

    /// Writes all `count` bytes, retrying short writes and EINTR.
    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) throws(IOFailure) {
        var done = 0
        while done < count {
            let r = systemWrite(fd, bytes + done, min(count - done, 1 << 30))
            if r < 0 && errno == EINTR { continue }
            if r < 0 { throw IOFailure(step: "write", code: errno) }
            if r == 0 { throw IOFailure(step: "write", code: EIO) }
            done += r
        }
    }
}

/// A failed system call while writing, with `errno` captured before cleanup can overwrite it.
private struct IOFailure: Error {
    let step: String
    let code: Int32
}

/// POSIX `write`, reachable under a name that `Safetensors.write` does not shadow.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }
