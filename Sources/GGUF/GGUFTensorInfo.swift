/// One entry of a GGUF tensor directory.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor's name, e.g. "blk.0.attn_q.weight".
    public let name: String
    /// Dimensions in ggml order: `shape[0]` is the fastest-varying (contiguous) dimension.
    public let shape: [Int]
    /// Element type (possibly quantised).
    public let type: GGUFTensorType
    /// Offset of the data from the start of the file's tensor data section (a multiple of the alignment).
    public let offset: Int
    /// Absolute offset of the data in the file.
    public let fileOffset: Int
    /// Bytes of data, nil when the type is unknown to this reader.
    public let byteCount: Int?

    /// Number of elements (product of the shape).
    public var elementCount: Int { shape.reduce(1, *) }
}
