import Testing
@testable import PreferenceData

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

    private func syntaxError(_ text: String) -> JSONSyntaxError? {
        do {
            _ = try JSONParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"s": "x", "n": -1.5e2, "i": 0, "t": true, "f": false, "z": null, "a": [1, [], {}]} "#)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.keys == ["s", "n", "i", "t", "f", "z", "a"])
        #expect(object["s"] == .string("x"))
        #expect(object["n"] == .number(-150))
        #expect(object["i"] == .number(0))
        #expect(object["t"] == .bool(true))
        #expect(object["f"] == .bool(false))
        #expect(object["z"] == .null)
        #expect(object["a"] == .array([.number(1), .array([]), .object(JSONObject())]))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\r\b\f""#) == .string("a\"b\\c/d\n\t\r\u{8}\u{C}"))
        #expect(try parse(#""\u00e9\u4f60\ud83d\ude00""#) == .string("é你😀"))
        #expect(try parse("\"raw é 你 😀\"") == .string("raw é 你 😀"))
    }

    @Test func reportsWhatAndWhere() {
        let cases: [(String, Int, String)] = [
            ("{\"a\": 1,}", 8, "expected a field name"),
            ("{\"a\": 1 \"b\": 2}", 8, "expected ',' or '}'"),
            ("{\"a\": 1, \"a\": 2}", 9, "duplicate field \"a\""),
            ("[01]", 1, "leading zero"),
            ("[1.]", 1, "no digits after '.'"),
            ("\"abc", 0, "unterminated string"),
            ("\"a\tb\"", 2, "unescaped control character"),
            ("\"\\ud800\"", 1, "unpaired surrogate"),
            ("\"\\udc00x\"", 1, "unpaired surrogate"),
            ("\"\\x\"", 1, "invalid escape"),
            ("tru", 0, "expected true"),
            ("{} x", 3, "unexpected text after the JSON value"),
            ("", 0, "unexpected end of line"),
            ("[1e999]", 1, "number out of range"),
        ]
        for (text, offset, message) in cases {
            let error = syntaxError(text)
            #expect(error?.offset == offset, "\(text)")
            #expect(error?.message.contains(message) == true, "\(text): \(error?.message ?? "no error")")
        }
    }

    @Test func boundsNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(syntaxError(deep)?.message.contains("nesting deeper") == true)
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(syntaxError(fine) == nil)
    }

    @Test func writerRoundTrips() throws {
        let value = JSONValue.object(JSONObject([
            ("text", .string("quote \" backslash \\ newline \n tab \t bell \u{7} 你好")),
            ("numbers", .array([.number(3), .number(-0.25), .number(1e-7), .number(12345678901)])),
            ("flags", .array([.bool(true), .null])),
        ]))
        let text = JSONWriter.string(value)
        #expect(text.contains("\\u0007"))
        #expect(text.contains("12345678901"))
        #expect(try parse(text) == value)
    }
}
