import Foundation
import Testing

@testable import TensorEngine

/// A fresh directory per test: Swift Testing runs tests in parallel.
private final class ScratchDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
    func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }
}

/// A safetensors file assembled byte by byte, so tests control exactly what the header claims.
private func rawFile(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> Data {
    var bytes = Array(header.utf8)
    bytes += repeatElement(UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8)
    var out = Data()
    withUnsafeBytes(of: (declaredLength ?? UInt64(bytes.count)).littleEndian) { out.append(contentsOf: $0) }
    out.append(contentsOf: bytes)
    out.append(contentsOf: data)
    return out
}

private func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } }
}

/// Opens `bytes` written to a scratch file, returning the error it throws (nil if it opens).
private func openError(_ bytes: Data) throws -> SafetensorsError? {
    let dir = try ScratchDirectory()
    let url = dir.file("bad.safetensors")
    try bytes.write(to: url)
    let error = #expect(throws: SafetensorsError.self) { _ = try SafetensorsFile(url: url) }
    if let error {
        #expect(error.description.hasPrefix(url.path + ": "))
        #expect(!error.description.contains("\n"))
    }
    return error
}

extension SafetensorsError {
    /// The case without its payload, so tests can assert which error occurred without pinning message text.
    var kind: String {
        switch self {
        case .unreadable: "unreadable"
        case .truncated: "truncated"
        case .badHeader: "badHeader"
        case .badOffsets: "badOffsets"
        case .unknownDtype: "unknownDtype"
        case .missingTensor: "missingTensor"
        case .wrongKind: "wrongKind"
        case .writeFailed: "writeFailed"
        }
    }
}

@Suite struct SafetensorsTests {
    // MARK: Round trip

    @Test func roundTripKeepsShapesValuesAndMetadata() throws {
        let dir = try ScratchDirectory()
        let url = dir.file("model.safetensors")
        let special: [Float] = [
            0, -0.0, 1, -2.5, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
        ]
        let tensors: [String: Tensor] = [
            "scalar": Tensor(3.5),
            "empty": Tensor(shape: [0], scalars: []),
            "empty.inner": Tensor(shape: [2, 0, 4], scalars: []),
            "vector": Tensor(shape: [special.count], scalars: special),
            "matrix": Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]),
            "block.0.weight \"quoted\" ü": Tensor(shape: [2, 3, 4], scalars: (0..<24).map { Float($0) * 0.125 - 1 }),
        ]
        let metadata = ["format": "pt", "note": "line1\nline2 \"q\" ∑", "step": "42"]
        try Safetensors.write(tensors, metadata: metadata, to: url)

        let file = try SafetensorsFile(url: url)
        #expect(file.names == tensors.keys.sorted())
        #expect(file.metadata == metadata)
        for (name, expected) in tensors {
            #expect(file.dtype(of: name) == "F32")
            #expect(file.shape(of: name) == expected.shape)
            let got = try file.tensor(name)
            #expect(got.shape == expected.shape)
            #expect(got.scalars.map(\.bitPattern) == expected.scalars.map(\.bitPattern), "\(name)")
        }
        #expect(try dir.contents() == ["model.safetensors"])

        let all = try Safetensors.read(url)
        #expect(all.keys.sorted() == tensors.keys.sorted())
        #expect(all["scalar"]?.shape == [])
        #expect(all["scalar"]?.scalars == [3.5])
    }

    @Test func writtenHeaderIsPaddedAndSorted() throws {
        let dir = try ScratchDirectory()
        let url = dir.file("x.safetensors")
        try Safetensors.write(["b": Tensor(shape: [1], scalars: [2]), "a": Tensor(shape: [1], scalars: [1])], to: url)
        let bytes = try Data(contentsOf: url)
        let length = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(length % 8 == 0)
        #expect(bytes.count == 8 + length + 8)
        let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
        #expect(header.hasPrefix(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":"#))
        #expect(!header.contains("__metadata__"))
    }

    @Test func writeReplacesAnExistingFile() throws {
        let dir = try ScratchDirectory()
        let url = dir.file("w.safetensors")
        try Safetensors.write(["w": Tensor(shape: [3], scalars: [1, 2, 3])], to: url)
        try Safetensors.write(["w": Tensor(shape: [1], scalars: [9])], to: url)
        #expect(try SafetensorsFile(url: url).tensor("w").scalars == [9])
        #expect(try dir.contents() == ["w.safetensors"])
    }

    // MARK: Fixture

    @Test func readsFixtureFloatAndIntTensors() throws {
        let ops = try Fixtures.ops()
        #expect(ops.names.contains("matmul.a"))
        #expect(ops.names == ops.names.sorted())

        let ids = try ops.intTensor("embedding.ids")
        #expect(ops.dtype(of: "embedding.ids") == "I64")
        #expect(ids.shape == [5])
        #expect(ids.scalars == [1, 3, 3, 9, 0])
        #expect(try ops.intTensor("cross_entropy.targets").scalars == [6, 5, -100, 8, 8, 6])

        let a = try ops.tensor("matmul.a")
        #expect(ops.dtype(of: "matmul.a") == "F32")
        #expect(a.shape == [3, 5])
        #expect(a.scalars[0] == Float(0.0461304634809494))
        #expect(a.scalars[2] == Float(-1.0115290880203247))
        #expect(a.scalars[14] == Float(-0.13192042708396912))

        let floats = try Safetensors.read(Fixtures.directory.appendingPathComponent("ops.safetensors"))
        #expect(floats["matmul.a"]?.scalars == a.scalars)
        #expect(floats["embedding.ids"] == nil)
    }

    // MARK: Other dtypes, unaligned

    @Test func readsHalfBFloatDoubleAndIntegersAtUnalignedOffsets() throws {
        let f16: [UInt16] = [0x3C00, 0xC100, 0x7BFF, 0x0001, 0x03FF, 0x8000, 0x7C00, 0xFC00, 0x7E00]
        let f16Expected: [Float] = [1, -2.5, 65504, 0x1p-24, 1023 * 0x1p-24, -0.0, .infinity, -.infinity, .nan]
        let bf16: [UInt16] = [0x3F80, 0xC020, 0x7F7F, 0x0001, 0x7F80, 0xFF80, 0x7FC0]
        let bf16Expected: [Float] = [
            1, -2.5, Float(bitPattern: 0x7F7F_0000), Float(bitPattern: 0x0001_0000), .infinity, -.infinity, .nan,
        ]
        let f64: [Double] = [1.5, -1e300, 0.1]

        // A one-byte tensor first makes every later offset odd.
        var data: [UInt8] = [7]
        var entries: [String] = [#""pad":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}"#]
        func add(_ name: String, _ dtype: String, _ shape: [Int], _ bytes: [UInt8]) {
            entries.append(
                "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":[\(data.count),\(data.count + bytes.count)]}"
            )
            data += bytes
        }
        add("half", "F16", [3, 3], littleEndianBytes(f16))
        add("bf", "BF16", [7], littleEndianBytes(bf16))
        add("double", "F64", [3], littleEndianBytes(f64.map(\.bitPattern)))
        add("i32", "I32", [2], littleEndianBytes([Int32.min, 5]))
        add("i16", "I16", [2], littleEndianBytes([Int16(-300), 300]))
        add("i8", "I8", [2], [0x80, 0x7F])
        add("flags", "BOOL", [3], [1, 0, 1])
        let dir = try ScratchDirectory()
        let url = dir.file("mixed.safetensors")
        try rawFile(header: "{\(entries.joined(separator: ","))}", data: data).write(to: url)
        let file = try SafetensorsFile(url: url)

        func same(_ got: [Float], _ want: [Float]) -> Bool {
            got.count == want.count
                && zip(got, want).allSatisfy { $0.isNaN ? $1.isNaN : $0.bitPattern == $1.bitPattern }
        }
        let half = try file.tensor("half")
        #expect(half.shape == [3, 3])
        #expect(same(half.scalars, f16Expected))
        #expect(same(try file.tensor("bf").scalars, bf16Expected))
        #expect(try file.tensor("double").scalars == f64.map { Float($0) })
        #expect(try file.intTensor("pad").scalars == [7])
        #expect(try file.intTensor("i32").scalars == [Int(Int32.min), 5])
        #expect(try file.intTensor("i16").scalars == [-300, 300])
        #expect(try file.intTensor("i8").scalars == [-128, 127])
        #expect(try file.intTensor("flags").scalars == [1, 0, 1])
        #expect(try Safetensors.read(url).keys.sorted() == ["bf", "double", "half"])
    }

    #if !(os(macOS) && arch(x86_64))
    @Test func halfConversionMatchesFloat16ForEveryBitPattern() {
        var mismatches = 0
        for bits in UInt16.min...UInt16.max {
            let want = Float(Float16(bitPattern: bits))
            let got = floatFromHalfBits(bits)
            if want.isNaN ? !got.isNaN : want.bitPattern != got.bitPattern { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
    #endif

    // MARK: Malformed files

    /// A valid two-tensor file ("a": 4 floats, "b": 2 floats) and its header length.
    private func validFile() throws -> (Data, Int) {
        let dir = try ScratchDirectory()
        let url = dir.file("valid.safetensors")
        try Safetensors.write(
            ["a": Tensor(shape: [4], scalars: [1, 2, 3, 4]), "b": Tensor(shape: [2], scalars: [5, 6])], to: url)
        let bytes = try Data(contentsOf: url)
        return (bytes, bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) })
    }

    @Test func truncatedInsideDataSection() throws {
        let (bytes, _) = try validFile()
        #expect(try openError(bytes.prefix(bytes.count - 5))?.kind == "truncated")
    }

    @Test func truncatedInsideHeader() throws {
        let (bytes, length) = try validFile()
        #expect(try openError(bytes.prefix(8 + length / 2))?.kind == "truncated")
        #expect(try openError(bytes.prefix(5))?.kind == "truncated")
        #expect(try openError(Data())?.kind == "truncated")
    }

    @Test func headerLengthBeyondTheFormatLimitIsABadHeader() throws {
        let (bytes, _) = try validFile()
        var lying = bytes
        lying.replaceSubrange(0..<8, with: littleEndianBytes([UInt64(1) << 40]))
        #expect(try openError(lying)?.kind == "badHeader")
    }

    @Test func offsetsBeyondTheDataSection() throws {
        // "b" claims bytes past the end, after a gap: the header is wrong, not the file short.
        let header =
            #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[4096,4112]}}"#
        let error = try openError(rawFile(header: header, data: Array(repeating: 0, count: 32)))
        #expect(error?.kind == "badOffsets")
        if case .badOffsets(_, let name, let detail) = error {
            #expect(name == "b")
            #expect(detail == "data_offsets [4096, 4112] exceed the data section (32 bytes)")
        }
    }

    @Test func offsetsThatDisagreeWithTheShape() throws {
        let wrongSize = #"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}"#
        let error = try openError(rawFile(header: wrongSize, data: Array(repeating: 0, count: 16)))
        #expect(error?.kind == "badOffsets")
        if case .badOffsets(_, let name, let detail) = error {
            #expect(name == "w")
            #expect(detail == "data_offsets [0, 12] span 12 bytes but shape [2, 2] of F32 needs 16")
        }
        let reversed = #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#
        #expect(try openError(rawFile(header: reversed, data: Array(repeating: 0, count: 8)))?.kind == "badOffsets")
        let overlap =
            #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#
        let overlapError = try openError(rawFile(header: overlap, data: Array(repeating: 0, count: 24)))
        #expect(overlapError?.kind == "badOffsets")
        if case .badOffsets(_, let name, _) = overlapError { #expect(name == "b") }
    }

    @Test func unknownDtype() throws {
        let header = #"{"w":{"dtype":"F7","shape":[1],"data_offsets":[0,1]}}"#
        let error = try openError(rawFile(header: header, data: [0]))
        #expect(error?.kind == "unknownDtype")
        if case .unknownDtype(_, let name, let dtype) = error { #expect(name == "w" && dtype == "F7") }
    }

    @Test(arguments: [
        #"{"w": {"dtype": "F32""#,  // bad JSON
        #"[1, 2, 3]"#,  // not an object
        #"{"w": 3}"#,  // entry not an object
        #"{"w": {"shape": [1], "data_offsets": [0, 4]}}"#,  // missing dtype
        #"{"w": {"dtype": "F32", "data_offsets": [0, 4]}}"#,  // missing shape
        #"{"w": {"dtype": "F32", "shape": [1]}}"#,  // missing data_offsets
        #"{"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}"#,  // negative dimension
        #"{"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}}"#,  // non-integer dimension
        #"{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0]}}"#,  // one offset
        #"{"__metadata__": {"step": 3}}"#,  // non-string metadata
    ])
    func malformedHeader(_ header: String) throws {
        #expect(try openError(rawFile(header: header, data: Array(repeating: 0, count: 4)))?.kind == "badHeader")
    }

    // MARK: Requests

    @Test func missingTensorAndWrongKind() throws {
        let ops = try Fixtures.ops()
        #expect(throws: SafetensorsError.missingTensor(path: ops.url.path, name: "nope")) { try ops.tensor("nope") }
        #expect(throws: SafetensorsError.missingTensor(path: ops.url.path, name: "nope")) { try ops.intTensor("nope") }
        #expect(ops.dtype(of: "nope") == nil && ops.shape(of: "nope") == nil)
        let intsAsFloats = #expect(throws: SafetensorsError.self) { try ops.tensor("embedding.ids") }
        #expect(intsAsFloats?.kind == "wrongKind")
        let floatsAsInts = #expect(throws: SafetensorsError.self) { try ops.intTensor("matmul.a") }
        #expect(floatsAsInts?.kind == "wrongKind")
        #expect(floatsAsInts?.description.contains("\"matmul.a\" has dtype F32") == true)
    }

    @Test func unreadableFile() throws {
        let dir = try ScratchDirectory()
        let error = #expect(throws: SafetensorsError.self) { try SafetensorsFile(url: dir.file("absent.safetensors")) }
        #expect(error?.kind == "unreadable")
        let directory = #expect(throws: SafetensorsError.self) { try SafetensorsFile(url: dir.url) }
        #expect(directory?.kind == "unreadable")
    }

    // MARK: Failed writes

    @Test func writeIntoMissingDirectoryFails() throws {
        let dir = try ScratchDirectory()
        let target = dir.url.appendingPathComponent("no/such/dir/model.safetensors")
        let error = #expect(throws: SafetensorsError.self) { try Safetensors.write(["w": Tensor(1)], to: target) }
        #expect(error?.kind == "writeFailed")
        #expect(try dir.contents().isEmpty)
    }

    @Test func failedRenameRemovesTheTemporaryFile() throws {
        // The target is a non-empty directory: the temporary file is written, then the rename fails.
        let dir = try ScratchDirectory()
        let target = dir.file("model.safetensors")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        try Data([1]).write(to: target.appendingPathComponent("keep"))
        let error = #expect(throws: SafetensorsError.self) { try Safetensors.write(["w": Tensor(1)], to: target) }
        #expect(error?.kind == "writeFailed")
        #expect(error?.description.hasPrefix(target.path + ": ") == true)
        #expect(try dir.contents() == ["model.safetensors"])
    }

    @Test func reservedNameIsRejected() throws {
        let dir = try ScratchDirectory()
        let error = #expect(throws: SafetensorsError.self) {
            try Safetensors.write(["__metadata__": Tensor(1)], to: dir.file("m.safetensors"))
        }
        #expect(error?.kind == "writeFailed")
        #expect(try dir.contents().isEmpty)
    }
}
