// Where JSONSupport is used, and where not: it reads and writes JSON whose strictness and exact errors are the point —
// Hugging Face tokenizer.json and tokenizer_config.json files from anywhere, JSON Lines imports of untrusted data
// (every line checked, its line and column named), the annotation API's bodies, and the safetensors header's string
// escaping. The project's own configs and checkpoint metadata (trainer configs, trainer state, run manifests, reports)
// are Codable types read and written with Foundation's JSONDecoder and JSONEncoder instead: their shape is ours, and a
// Codable type states it once.

/// A strict RFC 8259 parser for one JSON text in UTF-8.
///
/// Written rather than using Foundation's `JSONSerialization` because errors must say exactly what is wrong and where
/// (line and column), duplicate keys must be rejected rather than silently collapsed, nesting must be bounded (ten
/// thousand `[` must not overflow the stack), invalid UTF-8 must be an error rather than be repaired, and it is faster
/// both for multi-megabyte tokenizer files and for hundreds of megabytes of JSON Lines.
public struct JSONParser {
    /// Limits and wording that differ between callers.
    public struct Options: Sendable {
        /// Deepest nesting of arrays and objects accepted.
        public var maximumDepth: Int
        /// How messages name the end of the input: a JSON Lines reader parses lines, a loader whole files.
        public var endOfInput: String

        /// Creates options; the defaults suit a whole file.
        public init(maximumDepth: Int = 512, endOfInput: String = "end of file") {
            self.maximumDepth = maximumDepth
            self.endOfInput = endOfInput
        }
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let options: Options
    var index = 0
    var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>, options: Options) {
        self.bytes = bytes
        self.options = options
    }

    /// Parses `bytes` as exactly one JSON value surrounded by optional whitespace.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, options: Options = Options()) throws(JSONParseError)
        -> JSONValue
    {
        // Validating up front lets strings be taken from the input without checking each again.
        if let bad = UTF8Validation.firstInvalidOffset(in: bytes) {
            throw JSONParseError(.invalidUTF8, message: "invalid UTF-8", at: bad, in: bytes)
        }
        var parser = JSONParser(bytes, options: options)
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.index < bytes.count { throw parser.failure("unexpected text after the JSON value") }
        return value
    }

    /// Parses a string's UTF-8 as one JSON value.
    public static func parse(_ text: String, options: Options = Options()) throws(JSONParseError) -> JSONValue {
        var copy = text
        let result: Result<JSONValue, JSONParseError> = copy.withUTF8 { buffer in
            do throws(JSONParseError) { return .success(try parse(buffer, options: options)) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    func failure(_ message: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(.syntax, message: message, at: offset ?? index, in: bytes)
    }

    /// The current byte as messages name it.
    func describeCurrent() -> String {
        guard index < bytes.count else { return options.endOfInput }
        let byte = bytes[index]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return byte < 0x80 ? "character 0x\(String(byte, radix: 16))" : "a non-ASCII character"
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected \(options.endOfInput), expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw failure("unexpected \(describeCurrent()), expected a value")
        }
    }

    private mutating func parseLiteral(_ word: StaticString) throws(JSONParseError) {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count,
            (0..<length).allSatisfy({ bytes[index + $0] == word.utf8Start[$0] })
        else {
            throw failure("invalid literal, expected \(word)")
        }
        index += length
    }

    private mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        if depth > options.maximumDepth { throw failure("nesting deeper than \(options.maximumDepth) levels") }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        index += 1
        var fields: [(key: String, value: JSONValue)] = []
        var keys = DuplicateKeyCheck()
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(JSONObject(fields))
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw failure("unexpected \(describeCurrent()), expected a string key in object")
            }
            let keyOffset = index
            let key = try parseString()
            if !keys.insert(key, into: fields) { throw failure("duplicate field \"\(key)\"", at: keyOffset) }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw failure("unexpected \(describeCurrent()), expected ':' after object key")
            }
            index += 1
            fields.append((key, try parseValue()))
            skipWhitespace()
            guard index < bytes.count else {
                throw failure("unexpected \(options.endOfInput), expected ',' or '}' in object")
            }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return .object(JSONObject(fields))
            } else {
                throw failure("unexpected \(describeCurrent()), expected ',' or '}' in object")
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else {
                throw failure("unexpected \(options.endOfInput), expected ',' or ']' in array")
            }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return .array(elements)
            } else {
                throw failure("unexpected \(describeCurrent()), expected ',' or ']' in array")
            }
        }
    }
}

/// Finds a repeated key as an object is parsed. Keys are compared code unit by code unit, as RFC 8259 compares
/// names (Swift's `==` would also equate canonically equivalent spellings). Small objects (most) are scanned. Large
/// ones (a tokenizer vocabulary has 50,000 keys, where scanning would be quadratic) go in an open-addressing table
/// of byte hashes: hashing `String`s in a `Set` made parsing such a file half again as slow.
private struct DuplicateKeyCheck {
    private static let scanLimit = 16
    /// Hash of each slot's key; meaningful where `slots` is not 0.
    private var hashes: [UInt64] = []
    /// Index + 1 of the field in each slot; 0 for an empty slot.
    private var slots: [Int32] = []

    /// Records `key`, which is about to be appended to `fields`; false if `fields` already has it.
    mutating func insert(_ key: String, into fields: [(key: String, value: JSONValue)]) -> Bool {
        if slots.isEmpty {
            // `==` first: it is fast and true for every byte-identical pair.
            if fields.count < Self.scanLimit {
                return !fields.contains { $0.key == key && $0.key.utf8.elementsEqual(key.utf8) }
            }
            rebuild(fields, capacity: 64)
        } else if 2 * (fields.count + 1) > slots.count {
            rebuild(fields, capacity: 2 * slots.count)
        }
        let hash = Self.hash(key)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            if hashes[slot] == hash && fields[Int(slots[slot]) - 1].key.utf8.elementsEqual(key.utf8) { return false }
            slot = (slot + 1) & mask
        }
        hashes[slot] = hash
        slots[slot] = Int32(fields.count + 1)
        return true
    }

    private mutating func rebuild(_ fields: [(key: String, value: JSONValue)], capacity: Int) {
        hashes = Array(repeating: 0, count: capacity)
        slots = Array(repeating: 0, count: capacity)
        let mask = capacity - 1
        for (index, field) in fields.enumerated() {
            let hash = Self.hash(field.key)
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            hashes[slot] = hash
            slots[slot] = Int32(index + 1)
        }
    }

    /// FNV-1a with a final mix, so the low bits (the slot) depend on every byte.
    private static func hash(_ key: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return (hash ^ (hash >> 29)) &* 0xBF58_476D_1CE4_E5B9 ^ (hash >> 32)
    }
}
