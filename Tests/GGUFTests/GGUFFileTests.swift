import Foundation
import Testing

@testable import GGUF

/// A file with one value of every metadata type (nested arrays included) and tensors of several types.
private func sampleWriter(alignment: Int = 32) -> GGUFWriter {
    var writer = GGUFWriter(alignment: alignment)
    writer.set("general.architecture", .string("llama"))
    writer.set("u8", .uint8(200))
    writer.set("i8", .int8(-100))
    writer.set("u16", .uint16(60000))
    writer.set("i16", .int16(-30000))
    writer.set("u32", .uint32(4_000_000_000))
    writer.set("i32", .int32(-2_000_000_000))
    writer.set("u64", .uint64(10_000_000_000))
    writer.set("i64", .int64(-10_000_000_000))
    writer.set("f32", .float32(1.5))
    writer.set("f64", .float64(-2.25))
    writer.set("flag", .bool(true))
    writer.set("unicode", .string("你好 🤖"))
    writer.set("tokens", .array(.string, [.string("a"), .string("Ġb"), .string("")]))
    writer.set("ids", .array(.int32, [.int32(1), .int32(-2)]))
    writer.set("nested", .array(.array, [.array(.uint8, [.uint8(1), .uint8(2)]), .array(.uint8, [])]))
    writer.set("empty", .array(.float32, []))
    writer.addTensor(name: "a.weight", shape: [3, 2], type: .f32, data: (0..<24).map(UInt8.init))
    writer.addTensor(name: "b.weight", shape: [32, 2], type: .q4_1, data: [UInt8](repeating: 7, count: 40))
    writer.addTensor(name: "c", shape: [5], type: .f16, data: [UInt8](repeating: 9, count: 10))
    return writer
}

@Test func readsEveryMetadataType() throws {
    let path = temporaryPath("all.gguf")
    try sampleWriter().write(to: path)
    let file = try GGUFFile(path: path)
    #expect(file.version == 3)
    let m = file.metadata
    #expect(m.keys.first == "general.architecture")
    #expect(m.count == 17)
    #expect(m["u8"] == .uint8(200))
    #expect(m["i8"] == .int8(-100))
    #expect(m["u16"] == .uint16(60000))
    #expect(m["i16"] == .int16(-30000))
    #expect(m.int("u32") == 4_000_000_000)
    #expect(m.int("i32") == -2_000_000_000)
    #expect(m.int("u64") == 10_000_000_000)
    #expect(m.int("i64") == -10_000_000_000)
    #expect(m.double("f32") == 1.5)
    #expect(m.double("f64") == -2.25)
    #expect(m.bool("flag") == true)
    #expect(m.string("unicode") == "你好 🤖")
    #expect(m.stringArray("tokens") == ["a", "Ġb", ""])
    #expect(m.intArray("ids") == [1, -2])
    #expect(m["nested"] == .array(.array, [.array(.uint8, [.uint8(1), .uint8(2)]), .array(.uint8, [])]))
    #expect(m["empty"] == .array(.float32, []))
    #expect(m.string("u8") == nil)
    #expect(m.stringArray("ids") == nil)
    #expect(m["missing"] == nil)
}

@Test func readsTensorDirectoryAndData() throws {
    let path = temporaryPath("tensors.gguf")
    try sampleWriter().write(to: path)
    let file = try GGUFFile(path: path)
    #expect(file.alignment == 32)
    #expect(file.dataOffset % 32 == 0)
    #expect(file.tensors.map(\.name) == ["a.weight", "b.weight", "c"])
    let a = try #require(file.tensor(named: "a.weight"))
    #expect(a.shape == [3, 2])
    #expect(a.type == .f32)
    #expect(a.elementCount == 6)
    #expect(a.byteCount == 24)
    #expect(a.offset == 0)
    #expect(Array(file.tensorData(a)) == (0..<24).map(UInt8.init))
    let b = try #require(file.tensor(named: "b.weight"))
    #expect(b.type == .q4_1)
    #expect(b.type.description == "Q4_1")
    #expect(b.byteCount == 40)
    #expect(b.offset == 32)
    #expect(b.fileOffset == file.dataOffset + 32)
    #expect(Array(file.tensorData(b)) == [UInt8](repeating: 7, count: 40))
    let c = try #require(file.tensor(named: "c"))
    #expect(c.offset == 96)
    #expect(Array(file.tensorData(c)) == [UInt8](repeating: 9, count: 10))
}

@Test func honoursCustomAlignment() throws {
    let path = temporaryPath("aligned.gguf")
    try sampleWriter(alignment: 64).write(to: path)
    let file = try GGUFFile(path: path)
    #expect(file.alignment == 64)
    #expect(file.metadata.int("general.alignment") == 64)
    #expect(file.dataOffset % 64 == 0)
    #expect(file.tensors.map(\.offset) == [0, 64, 128])
    #expect(Array(file.tensorData(file.tensors[2])) == [UInt8](repeating: 9, count: 10))
}

@Test func readsVersion2AndFilesWithoutTensors() throws {
    var writer = GGUFWriter()
    writer.set("k", .string("v"))
    var bytes = writer.encoded()
    bytes[4] = 2  // version 2 has the same layout
    let file = try GGUFFile(path: try writeTemporary(bytes))
    #expect(file.version == 2)
    #expect(file.tensors.isEmpty)
    #expect(file.metadata.string("k") == "v")
}

@Test func keepsUnknownTensorTypes() throws {
    var writer = GGUFWriter()
    writer.addTensor(name: "future", shape: [4], type: GGUFTensorType(rawValue: 200), data: [1, 2, 3, 4])
    let file = try GGUFFile(path: try writeTemporary(writer.encoded()))
    let t = try #require(file.tensors.first)
    #expect(t.type.rawValue == 200)
    #expect(t.type.description == "type 200")
    #expect(t.byteCount == nil)
    #expect(file.tensorData(t).isEmpty)
}

@Test func tensorTypeSizes() {
    #expect(GGUFTensorType.q8_0.byteCount(elements: 64) == 68)
    #expect(GGUFTensorType.q4_K.byteCount(elements: 512) == 288)
    #expect(GGUFTensorType.bf16.byteCount(elements: 3) == 6)
    #expect(GGUFTensorType.q4_0.byteCount(elements: 33) == nil)
    #expect(GGUFTensorType(rawValue: 77).byteCount(elements: 1) == nil)
}
