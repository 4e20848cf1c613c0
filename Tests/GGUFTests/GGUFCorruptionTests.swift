import Foundation
import Testing

@testable import GGUF

private func validFile() -> [UInt8] {
    var writer = GGUFWriter()
    writer.set("general.architecture", .string("gpt2"))
    writer.set("tokens", .array(.string, [.string("x"), .string("y")]))
    writer.set("nested", .array(.array, [.array(.int32, [.int32(5)])]))
    writer.addTensor(name: "w", shape: [2, 2], type: .f32, data: [UInt8](repeating: 1, count: 16))
    return writer.encoded()
}

/// The problem text for `bytes`, or nil if the file was accepted.
private func problem(_ bytes: [UInt8]) throws -> String? {
    let path = try writeTemporary(bytes)
    do {
        _ = try GGUFFile(path: path)
        return nil
    } catch let error as GGUFError {
        #expect(error.path == path)
        #expect(!error.description.contains("\n"))
        return error.problem
    }
}

private func patched(_ bytes: [UInt8], at offset: Int, _ value: UInt64) -> [UInt8] {
    var b = bytes
    withUnsafeBytes(of: value.littleEndian) { for (i, byte) in $0.enumerated() { b[offset + i] = byte } }
    return b
}

@Test func everyTruncationIsAnError() throws {
    let bytes = validFile()
    // Every proper prefix is rejected with a thrown error, never a crash.
    // The last 16 bytes are padding after the only tensor's data; every shorter prefix lacks something.
    for length in 0..<(bytes.count - 16) where length % 3 == 0 || length < 64 {
        let p = try problem(Array(bytes[0..<length]))
        #expect(p != nil, "prefix of \(length) bytes was accepted")
    }
    #expect(try problem(bytes) == nil)
}

@Test func rejectsBadMagicAndVersions() throws {
    var bytes = validFile()
    bytes[0] = UInt8(ascii: "X")
    #expect(try problem(bytes)?.contains("not a GGUF file") == true)
    bytes = validFile()
    bytes[4] = 1
    #expect(try problem(bytes)?.contains("unsupported GGUF version 1") == true)
    bytes = validFile()
    bytes[4] = 0; bytes[7] = 3
    #expect(try problem(bytes)?.contains("big-endian") == true)
    #expect(try problem([])?.contains("truncated") == true)
}

@Test func rejectsImpossibleCounts() throws {
    let bytes = validFile()
    #expect(try problem(patched(bytes, at: 8, 1 << 40))?.contains("tensor count") == true)
    #expect(try problem(patched(bytes, at: 16, 1_000_000))?.contains("metadata count") == true)
    #expect(try problem(patched(bytes, at: 16, 100))?.contains("cannot fit") == true)
    // The first key's length field.
    #expect(try problem(patched(bytes, at: 24, UInt64.max))?.contains("larger than the file") == true)
}

@Test func rejectsUnknownValueTypeAndBadBool() throws {
    var writer = GGUFWriter()
    writer.set("flag", .bool(true))
    var bytes = writer.encoded()
    // magic(4) version(4) counts(16) key length(8) "flag"(4) -> type at 36, payload at 40
    bytes[36] = 99
    #expect(try problem(bytes)?.contains("unknown value type 99") == true)
    bytes = writer.encoded()
    bytes[40] = 7
    #expect(try problem(bytes)?.contains("bool stored as 7") == true)
}

@Test func rejectsHugeArrays() throws {
    var writer = GGUFWriter()
    writer.set("a", .array(.uint64, [.uint64(1)]))
    let bytes = writer.encoded()
    // key "a" at 24..<33, type at 33, element type at 37, count at 41
    #expect(try problem(patched(bytes, at: 41, 1 << 50))?.contains("length of metadata a") == true)
    let declared = try problem(patched(bytes, at: 41, 5))
    #expect(declared?.contains("declares 5 elements") == true, "\(declared ?? "accepted")")
}

@Test func rejectsDuplicateKeysAndTensors() throws {
    var writer = GGUFWriter()
    writer.set("k", .uint8(1))
    writer.set("l", .uint8(2))
    var bytes = writer.encoded()
    let second = bytes.indices.last { bytes[$0] == UInt8(ascii: "l") }!
    bytes[second] = UInt8(ascii: "k")
    #expect(try problem(bytes)?.contains("\"k\" appears twice") == true)

    var tensors = GGUFWriter()
    tensors.addTensor(name: "t", shape: [1], type: .f32, data: [0, 0, 0, 0])
    tensors.addTensor(name: "t", shape: [1], type: .f32, data: [0, 0, 0, 0])
    #expect(try problem(tensors.encoded())?.contains("tensor \"t\" appears twice") == true)
}

@Test func rejectsBadTensorEntries() throws {
    func file(shape: [Int], type: GGUFTensorType = .f32, dataBytes: Int = 16) -> [UInt8] {
        var writer = GGUFWriter()
        writer.addTensor(name: "w", shape: shape, type: type, data: [UInt8](repeating: 0, count: dataBytes))
        return writer.encoded()
    }
    #expect(try problem(file(shape: []))?.contains("0 dimensions") == true)
    #expect(try problem(file(shape: [1, 1, 1, 1, 1]))?.contains("5 dimensions") == true)
    #expect(try problem(file(shape: [1 << 40, 1 << 40]))?.contains("impossible shape") == true)
    #expect(try problem(file(shape: [10], type: .q8_0, dataBytes: 34))?.contains("whole number") == true)
    // Data declared larger than the file holds.
    let past = try problem(file(shape: [1000]))
    #expect(past?.contains("extends past the end") == true, "\(past ?? "accepted")")
    // Misaligned offset: the offset field is the last 8 bytes of the directory, just before the padding.
    var bytes = file(shape: [4])
    let offsetField = 24 + 8 + 1 + 4 + 8 + 4  // counts, name length + "w", rank, one dim, type
    bytes = patched(bytes, at: offsetField, 3)
    #expect(try problem(bytes)?.contains("not a multiple of the alignment") == true)
}

@Test func rejectsBadAlignment() throws {
    var writer = GGUFWriter()
    writer.set("general.alignment", .uint32(48))
    #expect(try problem(writer.encoded())?.contains("power of two") == true)
}

@Test func missingFileAndDirectoryAreErrors() throws {
    #expect(throws: GGUFError.self) { try GGUFFile(path: "/nonexistent/x.gguf") }
    #expect(throws: GGUFError.self) { try GGUFFile(path: FileManager.default.temporaryDirectory.path) }
}

@Test func writerReplacesExistingFileAtomically() throws {
    let path = temporaryPath("replace.gguf")
    try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
    var writer = GGUFWriter()
    writer.set("k", .string("v"))
    try writer.write(to: path)
    #expect(try GGUFFile(path: path).metadata.string("k") == "v")
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
    #expect(leftovers == ["replace.gguf"])
}
