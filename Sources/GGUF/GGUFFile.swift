/// A GGUF file (llama.cpp's model container, versions 2 and 3): header, metadata and tensor directory, read from a
/// memory mapping. Tensor data is not copied; `tensorData(_:)` views it in place.
public final class GGUFFile: Sendable {
    /// GGUF format version (2 or 3).
    public let version: UInt32
    /// Key/value metadata.
    public let metadata: GGUFMetadata
    /// The tensor directory in file order.
    public let tensors: [GGUFTensorInfo]
    /// Alignment of tensor data (`general.alignment`, default 32).
    public let alignment: Int
    /// Absolute offset where the tensor data section starts.
    public let dataOffset: Int
    /// The mapped file.
    public let file: MappedFile

    /// The path the file was opened from.
    public var path: String { file.path }

    static let magic: UInt32 = 0x4655_4747  // "GGUF" read little-endian
    static let defaultAlignment = 32
    /// ggml's limit on tensor rank.
    static let maximumDimensions = 4

    /// Opens and parses `path`. Throws a `GGUFError` naming the file and the problem for anything that is not a
    /// well-formed GGUF v2/v3 file (bad magic, unsupported version, truncation, impossible sizes, tensors that point
    /// outside the file).
    public convenience init(path: String) throws {
        try self.init(file: MappedFile(path: path))
    }

    /// Parses an already mapped file.
    public init(file: MappedFile) throws {
        self.file = file
        var cursor = ByteCursor(bytes: file.bytes, path: file.path)
        let magic = try cursor.read(UInt32.self, "the GGUF magic")
        guard magic == Self.magic else { throw cursor.fail("not a GGUF file (the first 4 bytes are not \"GGUF\")") }
        let version = try cursor.read(UInt32.self, "the version")
        if version.byteSwapped == 2 || version.byteSwapped == 3 {
            throw cursor.fail("big-endian GGUF files are not supported")
        }
        guard version == 2 || version == 3 else {
            throw cursor.fail("unsupported GGUF version \(version) (versions 2 and 3 are supported)")
        }
        self.version = version
        let tensorCount = try cursor.readCount("the tensor count")
        let keyCount = try cursor.readCount("the metadata count")
        // Each entry needs at least 12 bytes (key length + type); each tensor at least 28 (name length, rank, dims...).
        guard keyCount <= cursor.remaining / 12, tensorCount <= cursor.remaining / 28 else {
            throw cursor.fail("corrupt: \(keyCount) metadata entries and \(tensorCount) tensors cannot fit in the file")
        }

        var entries: [(String, GGUFValue)] = []
        entries.reserveCapacity(keyCount)
        var seenKeys = Set<String>()
        for index in 0..<keyCount {
            let key = try cursor.readString("metadata key #\(index)")
            guard seenKeys.insert(key).inserted else {
                throw cursor.fail("corrupt: metadata key \"\(key)\" appears twice")
            }
            let value = try GGUFValueReader.readValue(&cursor, key: key)
            entries.append((key, value))
        }
        metadata = GGUFMetadata(entries: entries)

        let alignment: Int
        if let value = metadata["general.alignment"] {
            guard let a = value.intValue, a > 0, a & (a - 1) == 0 else {
                throw cursor.fail("general.alignment must be a positive power of two, got \(value)")
            }
            alignment = a
        } else {
            alignment = Self.defaultAlignment
        }
        self.alignment = alignment

        var directory: [(name: String, shape: [Int], type: GGUFTensorType, offset: Int)] = []
        directory.reserveCapacity(tensorCount)
        var seenNames = Set<String>()
        for index in 0..<tensorCount {
            let name = try cursor.readString("the name of tensor #\(index)")
            guard seenNames.insert(name).inserted else {
                throw cursor.fail("corrupt: tensor \"\(name)\" appears twice")
            }
            let rank = try cursor.read(UInt32.self, "the rank of tensor \(name)")
            guard rank >= 1, rank <= Self.maximumDimensions else {
                throw cursor.fail(
                    "corrupt: tensor \(name) has \(rank) dimensions (1 to \(Self.maximumDimensions) allowed)")
            }
            var shape: [Int] = []
            var elements = 1
            for d in 0..<Int(rank) {
                // Quantised types take under one byte per element, so a dimension may exceed the file size;
                // the data extent is checked once the type is known.
                let raw = try cursor.read(UInt64.self, "dimension \(d) of tensor \(name)")
                guard let size = Int(exactly: raw) else {
                    throw cursor.fail("corrupt: tensor \(name) has an impossible shape")
                }
                let (product, overflow) = elements.multipliedReportingOverflow(by: size)
                guard !overflow else { throw cursor.fail("corrupt: tensor \(name) has an impossible shape") }
                elements = product
                shape.append(size)
            }
            let type = GGUFTensorType(rawValue: try cursor.read(UInt32.self, "the type of tensor \(name)"))
            let offset = try cursor.read(UInt64.self, "the data offset of tensor \(name)")
            guard let offset = Int(exactly: offset), offset % alignment == 0 else {
                throw cursor.fail(
                    "corrupt: tensor \(name) has data offset \(offset), not a multiple of the alignment \(alignment)")
            }
            directory.append((name, shape, type, offset))
        }

        let headerEnd = cursor.offset
        let dataOffset = (headerEnd + alignment - 1) / alignment * alignment
        self.dataOffset = dataOffset
        let fileSize = file.bytes.count
        if !directory.isEmpty, dataOffset > fileSize {
            throw cursor.fail(
                "truncated: tensor data should start at offset \(dataOffset) but the file has \(fileSize) bytes")
        }
        tensors = try directory.map { entry in
            let elements = entry.shape.reduce(1, *)
            let bytes = entry.type.byteCount(elements: elements)
            if entry.type.blockElements != nil, bytes == nil {
                throw cursor.fail(
                    "corrupt: tensor \(entry.name) has \(elements) elements, not a whole number of \(entry.type) blocks"
                )
            }
            let (start, overflow) = dataOffset.addingReportingOverflow(entry.offset)
            guard !overflow, start <= fileSize, (bytes ?? 0) <= fileSize - start else {
                throw cursor.fail(
                    "truncated: tensor \(entry.name) (\(entry.type), \(bytes ?? 0) bytes at offset \(start)) extends past the end of the file (\(fileSize) bytes)"
                )
            }
            return GGUFTensorInfo(
                name: entry.name, shape: entry.shape, type: entry.type, offset: entry.offset,
                fileOffset: start, byteCount: bytes)
        }
    }

    /// The directory entry named `name`, if any.
    public func tensor(named name: String) -> GGUFTensorInfo? { tensors.first { $0.name == name } }

    /// The bytes of `tensor` inside the mapping (valid while this file object is alive). Empty for a tensor whose type
    /// is unknown, since its size is then unknown.
    public func tensorData(_ tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        let count = tensor.byteCount ?? 0
        return UnsafeRawBufferPointer(rebasing: file.bytes[tensor.fileOffset..<(tensor.fileOffset + count)])
    }
}
