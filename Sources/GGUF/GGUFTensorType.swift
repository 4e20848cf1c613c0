/// A ggml tensor element type as stored in a GGUF tensor directory. Unknown numbers are kept (a newer file can still
/// be read for its metadata); only their byte size is then unknown.
public struct GGUFTensorType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// ggml's number for the type.
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    // The types the models use most; any other number works through `init(rawValue:)`.

    public static let f32 = GGUFTensorType(rawValue: 0)
    public static let f16 = GGUFTensorType(rawValue: 1)
    public static let q4_0 = GGUFTensorType(rawValue: 2)
    public static let q4_1 = GGUFTensorType(rawValue: 3)
    public static let q5_0 = GGUFTensorType(rawValue: 6)
    public static let q5_1 = GGUFTensorType(rawValue: 7)
    public static let q8_0 = GGUFTensorType(rawValue: 8)
    public static let q8_1 = GGUFTensorType(rawValue: 9)
    public static let q2_K = GGUFTensorType(rawValue: 10)
    public static let q3_K = GGUFTensorType(rawValue: 11)
    public static let q4_K = GGUFTensorType(rawValue: 12)
    public static let q5_K = GGUFTensorType(rawValue: 13)
    public static let q6_K = GGUFTensorType(rawValue: 14)
    public static let q8_K = GGUFTensorType(rawValue: 15)
    public static let bf16 = GGUFTensorType(rawValue: 30)

    /// (name, elements per block, bytes per block) for the types ggml defines today.
    private static let layouts: [UInt32: (name: String, blockElements: Int, blockBytes: Int)] = [
        0: ("F32", 1, 4), 1: ("F16", 1, 2), 2: ("Q4_0", 32, 18), 3: ("Q4_1", 32, 20), 6: ("Q5_0", 32, 22),
        7: ("Q5_1", 32, 24), 8: ("Q8_0", 32, 34), 9: ("Q8_1", 32, 36), 10: ("Q2_K", 256, 84), 11: ("Q3_K", 256, 110),
        12: ("Q4_K", 256, 144), 13: ("Q5_K", 256, 176), 14: ("Q6_K", 256, 210), 15: ("Q8_K", 256, 292),
        16: ("IQ2_XXS", 256, 66), 17: ("IQ2_XS", 256, 74), 18: ("IQ3_XXS", 256, 98), 19: ("IQ1_S", 256, 50),
        20: ("IQ4_NL", 32, 18), 21: ("IQ3_S", 256, 110), 22: ("IQ2_S", 256, 82), 23: ("IQ4_XS", 256, 136),
        24: ("I8", 1, 1), 25: ("I16", 1, 2), 26: ("I32", 1, 4), 27: ("I64", 1, 8), 28: ("F64", 1, 8),
        29: ("IQ1_M", 256, 56), 30: ("BF16", 1, 2), 34: ("TQ1_0", 256, 54), 35: ("TQ2_0", 256, 66),
        39: ("MXFP4", 32, 17),
    ]

    /// The ggml name, e.g. "Q4_1", or "type 99" for a number this reader does not know.
    public var description: String { Self.layouts[rawValue]?.name ?? "type \(rawValue)" }

    /// Elements per quantisation block (1 for plain types), nil if the type is unknown.
    public var blockElements: Int? { Self.layouts[rawValue]?.blockElements }

    /// Bytes per quantisation block, nil if the type is unknown.
    public var blockBytes: Int? { Self.layouts[rawValue]?.blockBytes }

    /// Bytes taken by `elements` values of this type; nil if the type is unknown, the count is not a whole number of
    /// blocks, or the size overflows.
    public func byteCount(elements: Int) -> Int? {
        guard let layout = Self.layouts[rawValue], elements >= 0, elements % layout.blockElements == 0 else {
            return nil
        }
        let (bytes, overflow) = (elements / layout.blockElements).multipliedReportingOverflow(by: layout.blockBytes)
        return overflow ? nil : bytes
    }
}
