import Foundation

/// JSON Lines records of the tokenizer commands.
enum TokenizerRecords {
    private struct TextRecord: Decodable { let text: String }
    // Decoded as numbers and checked here: Foundation reports a non-integer in an [Int] as "not valid JSON".
    private struct IDsRecord: Decodable { let ids: [Double] }

    static func text(from line: [UInt8], number: Int, source: String) throws -> String {
        try decode(TextRecord.self, line, number: number, source: source, expected: #"{"text": string}"#).text
    }

    static func ids(from line: [UInt8], number: Int, source: String) throws -> [Int] {
        let values = try decode(IDsRecord.self, line, number: number, source: source, expected: #"{"ids": [integers]}"#)
            .ids
        return try values.enumerated().map { index, value in
            guard value.rounded() == value, abs(value) < 1e15 else {
                throw CommandFailure("\(source) line \(number): ids[\(index)] = \(value) is not an integer id")
            }
            return Int(value)
        }
    }

    private static func decode<T: Decodable>(
        _ type: T.Type, _ line: [UInt8], number: Int, source: String,
        expected: String
    ) throws -> T {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            throw CommandFailure("\(source) line \(number): empty line, expected \(expected)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(line))
        } catch let error as DecodingError {
            throw CommandFailure("\(source) line \(number): expected \(expected): \(reason(error))")
        } catch {
            throw CommandFailure("\(source) line \(number): expected \(expected): \(error)")
        }
    }

    private static func reason(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined()
        }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(path(context)) is not valid"
        case .keyNotFound(let key, _): return "no \"\(key.stringValue)\" field"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(context.codingPath.isEmpty ? "the line" : path(context)) has the wrong type"
        @unknown default: return "invalid record"
        }
    }

    /// `{"ids":[…]}` followed by a newline, appended to `out`.
    static func appendIDs(_ ids: [Int], to out: inout [UInt8]) {
        out.append(contentsOf: #"{"ids":["#.utf8)
        for (k, id) in ids.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            appendDecimal(id, to: &out)
        }
        out.append(contentsOf: "]}\n".utf8)
    }

    /// `{"text":…}` followed by a newline, appended to `out`.
    static func appendText(_ text: String, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"text":""#.utf8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append(contentsOf: #"\""#.utf8)
            case "\\": out.append(contentsOf: #"\\"#.utf8)
            case "\n": out.append(contentsOf: #"\n"#.utf8)
            case "\r": out.append(contentsOf: #"\r"#.utf8)
            case "\t": out.append(contentsOf: #"\t"#.utf8)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x2028...0x2029).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16)
                    out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                } else {
                    out.append(contentsOf: String(scalar).utf8)
                }
            }
        }
        out.append(contentsOf: "\"}\n".utf8)
    }

    private static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            appendDecimal(-value, to: &out)
            return
        }
        if value >= 10 { appendDecimal(value / 10, to: &out) }
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
