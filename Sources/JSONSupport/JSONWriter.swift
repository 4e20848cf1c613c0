/// Appends JSON text to a byte buffer. Output is deterministic: fields in the order given, integers without a
/// fraction, shortest round-trip numbers otherwise, and non-ASCII text as UTF-8. Control characters and DEL are
/// escaped, so quoted text is safe to show in a terminal.
public struct JSONWriter {
    /// How values are laid out.
    public enum Style: Sendable {
        /// No whitespace at all: one JSON Lines line per value.
        case compact
        /// Two-space indentation, one field or element per line; arrays of scalars stay on one line (`[1, 2]`), so
        /// a tokenizer's merges read one pair per line, as Hugging Face writes them.
        case pretty
    }

    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []
    /// The layout of values.
    public let style: Style

    /// Creates an empty writer.
    public init(style: Style = .compact) {
        self.style = style
    }

    /// The JSON text of `value`.
    public static func string(_ value: JSONValue, style: Style = .compact) -> String {
        var writer = JSONWriter(style: style)
        writer.write(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// `text` as a JSON string literal, quotes included: how messages show tokens and names unambiguously.
    public static func quoted(_ text: String) -> String {
        var writer = JSONWriter()
        writer.writeString(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Removes what was written, keeping the buffer's capacity.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// Appends a raw byte (e.g. a newline).
    public mutating func append(raw: UInt8) {
        bytes.append(raw)
    }

    /// Appends `value`.
    public mutating func write(_ value: JSONValue) {
        write(value, depth: 0)
    }

    private mutating func write(_ value: JSONValue, depth: Int) {
        switch value {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number): writeNumber(number)
        case .string(let text): writeString(text)
        case .array(let elements):
            let inline = style == .compact || elements.allSatisfy(\.isScalar)
            bytes.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                if !inline {
                    newline(depth: depth + 1)
                } else if position > 0 && style == .pretty {
                    bytes.append(UInt8(ascii: " "))
                }
                write(element, depth: depth + 1)
            }
            if !inline && !elements.isEmpty { newline(depth: depth) }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for (position, field) in object.fields.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                if style == .pretty { newline(depth: depth + 1) }
                writeString(field.key)
                bytes.append(UInt8(ascii: ":"))
                if style == .pretty { bytes.append(UInt8(ascii: " ")) }
                write(field.value, depth: depth + 1)
            }
            if style == .pretty && !object.isEmpty { newline(depth: depth) }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private mutating func newline(depth: Int) {
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    /// Appends a number; integers up to 2^53 are written without a fraction. Non-finite numbers (which JSON cannot
    /// express) are written as null.
    public mutating func writeNumber(_ number: Double) {
        guard number.isFinite else {
            bytes.append(contentsOf: "null".utf8)
            return
        }
        if number == number.rounded(), abs(number) < 9_007_199_254_740_992 {
            bytes.append(contentsOf: String(Int64(number)).utf8)
        } else {
            bytes.append(contentsOf: "\(number)".utf8)
        }
    }

    /// Appends a quoted, escaped string.
    public mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x00..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [
                    0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
                ])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// Neither an array nor an object.
    fileprivate var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }
}
