/// Why and where a JSON text was rejected.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of problem it is: callers that check encoding separately from syntax report them differently.
    public enum Kind: Sendable, Equatable {
        /// The bytes are not well-formed UTF-8.
        case invalidUTF8
        /// The text is not valid JSON.
        case syntax
    }

    /// Whether the encoding or the syntax is wrong.
    public var kind: Kind
    /// Byte offset into the parsed text.
    public var offset: Int
    /// Line of `offset`, counting from 1.
    public var line: Int
    /// Column of `offset` in its line, counting from 1 in Unicode scalars (what an editor shows), not bytes.
    public var column: Int
    /// What is wrong, e.g. `unexpected '2', expected ':' after object key`.
    public var message: String

    /// Creates an error, computing the line and column of `offset` in `bytes`.
    public init(_ kind: Kind, message: String, at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        let end = min(offset, bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<end where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        self.kind = kind
        self.offset = offset
        self.line = line
        self.column = UTF8Validation.column(
            ofByte: end - lineStart, in: UnsafeBufferPointer(rebasing: bytes[lineStart...]))
        self.message = message
    }

    /// One line: `line 3, column 14: unexpected '2', expected ',' or '}' in object`.
    public var description: String { "line \(line), column \(column): \(message)" }
}
