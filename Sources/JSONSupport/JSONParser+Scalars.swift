/// Strings and numbers: the bulk of the bytes of any JSON file, so the common cases take fast paths.
extension JSONParser {
    mutating func parseString() throws(JSONParseError) -> String {
        let opening = index
        index += 1
        let start = index
        skipPlainBytes()
        // Fast path: no escapes, so the bytes between the quotes are the string (the input is known to be valid UTF-8).
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure("unescaped control character in a string") }
            index += 1
        }
        guard index < bytes.count else { throw failure("unterminated string", at: opening) }
        var decoded = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: decoded, as: UTF8.self)
            }
            if byte < 0x20 { throw failure("unescaped control character in a string") }
            if byte != UInt8(ascii: "\\") {
                decoded.append(byte)
                index += 1
                continue
            }
            let escapeOffset = index
            index += 1
            guard index < bytes.count else { break }
            switch bytes[index] {
            case UInt8(ascii: "\""): decoded.append(0x22)
            case UInt8(ascii: "\\"): decoded.append(0x5C)
            case UInt8(ascii: "/"): decoded.append(0x2F)
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"):
                let scalar = try parseUnicodeEscape(escapeOffset: escapeOffset)
                decoded.append(contentsOf: String(Character(scalar)).utf8)
                continue
            default:
                let shown =
                    bytes[index] >= 0x21 && bytes[index] < 0x7F ? "'\\\(Character(Unicode.Scalar(bytes[index])))' " : ""
                throw failure("invalid escape \(shown)in a string", at: escapeOffset)
            }
            index += 1
        }
        throw failure("unterminated string", at: opening)
    }

    /// Skips eight bytes at a time while none is a quote, a backslash or a control character: long texts (chat
    /// responses, the bulk of a preference file) are mostly such runs.
    private mutating func skipPlainBytes() {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while index + 8 <= bytes.count {
            let word = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
            // The classic "has a zero byte" test, applied to the word xor each special byte and to "below 0x20".
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let special =
                ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            if special & highs != 0 { return }
            index += 8
        }
    }

    /// Reads `uXXXX` (the index is on the `u`), combining a surrogate pair with the `\uXXXX` that must follow it.
    private mutating func parseUnicodeEscape(escapeOffset: Int) throws(JSONParseError) -> Unicode.Scalar {
        let first = try parseHexQuad(escapeOffset: escapeOffset)
        if (0xDC00...0xDFFF).contains(first) {
            throw failure("unpaired surrogate in a \\u escape", at: escapeOffset)
        }
        if (0xD800...0xDBFF).contains(first) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else {
                throw failure("unpaired surrogate in a \\u escape", at: escapeOffset)
            }
            index += 1
            let second = try parseHexQuad(escapeOffset: index - 1)
            guard (0xDC00...0xDFFF).contains(second) else {
                throw failure("unpaired surrogate in a \\u escape", at: escapeOffset)
            }
            return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
        }
        return Unicode.Scalar(first)!
    }

    /// Reads `uXXXX` with the index on the `u`; leaves the index after the last hex digit.
    private mutating func parseHexQuad(escapeOffset: Int) throws(JSONParseError) -> UInt32 {
        guard index + 4 < bytes.count else { throw failure("incomplete \\u escape", at: escapeOffset) }
        var value: UInt32 = 0
        for offset in 1...4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid hex digit in a \\u escape", at: escapeOffset)
            }
            value = value << 4 | UInt32(digit)
        }
        index += 5
        return value
    }

    mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = index
        var integer = 0
        var integerDigits = 0
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else {
            throw failure("invalid number", at: start)
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                throw failure("invalid number (leading zero)", at: start)
            }
        } else {
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                if integerDigits < 18 { integer = integer &* 10 &+ Int(bytes[index] &- UInt8(ascii: "0")) }
                integerDigits += 1
                index += 1
            }
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            if skipDigits() == 0 { throw failure("invalid number (no digits after '.')", at: start) }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            if skipDigits() == 0 { throw failure("invalid number (no digits in the exponent)", at: start) }
        }
        // Integers of up to 15 digits (ids, counts) convert exactly without going through text.
        if isInteger && integerDigits <= 15 { return negative ? -Double(integer) : Double(integer) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw failure("number out of range", at: start) }
        return value
    }

    private mutating func skipDigits() -> Int {
        let first = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        return index - first
    }
}
