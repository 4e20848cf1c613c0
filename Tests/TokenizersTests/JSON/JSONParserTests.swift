import Testing
@testable import Tokenizers

private func syntaxError(_ text: String) -> String? {
    do {
        _ = try JSONParser.parse(text)
        return nil
    } catch let error as JSONParser.SyntaxError {
        return error.description
    } catch {
        return "\(error)"
    }
}

@Test func parsesValues() throws {
    let value = try JSONParser.parse(#" {"a": [1, -2.5, 3e2, true, false, null], "b": {"c": "d"}, "e": ""} "#)
    #expect(value["a"] == .array([.int(1), .double(-2.5), .double(300), .bool(true), .bool(false), .null]))
    #expect(value["b"]?["c"]?.string == "d")
    #expect(value["e"]?.string == "")
    #expect(value.object?.map(\.0) == ["a", "b", "e"])
}

@Test func decodesEscapes() throws {
    #expect(try JSONParser.parse(#""a\"b\\c\/d\n\t\r\b\f""#).string == "a\"b\\c/d\n\t\r\u{8}\u{C}")
    #expect(try JSONParser.parse(#""\u0120\u00e9\ud83e\udd16""#).string == "Ġé🤖")
    #expect(try JSONParser.parse(#""\u0000x""#).string == "\u{0}x")
    #expect(try JSONParser.parse("\"你好 🤖\"").string == "你好 🤖")
}

@Test func reportsLineAndColumn() {
    #expect(syntaxError("{\n  \"a\": 1,\n  \"b\" 2\n}") == "line 3, column 7: unexpected '2', expected ':' after object key")
    #expect(syntaxError("[1, 2") == "line 1, column 6: unexpected end of file, expected ',' or ']' in array")
    #expect(syntaxError("\"abc") == "line 1, column 1: unterminated string")
    #expect(syntaxError("[01]")?.contains("expected ',' or ']'") == true)
    #expect(syntaxError("[1.]")?.contains("no digits after '.'") == true)
    #expect(syntaxError("\"\\ud800\"")?.contains("unpaired surrogate") == true)
    #expect(syntaxError("\"\\x\"")?.contains("invalid escape") == true)
    #expect(syntaxError("\"a\nb\"")?.contains("control character") == true)
    #expect(syntaxError("{} x")?.contains("unexpected text after") == true)
    #expect(syntaxError("tru")?.contains("invalid literal") == true)
    #expect(syntaxError(String(repeating: "[", count: 1000))?.contains("nesting deeper") == true)
    #expect(syntaxError("") == "line 1, column 1: unexpected end of file, expected a value")
}

@Test func writesAndReadsBack() throws {
    let value = JSONValue.object([("s", .string("q\"\\\n\u{1}é")), ("a", .array([.int(1), .null])),
                                  ("o", .object([("x", .array([.array([.string("a"), .string("b")])]))]))])
    #expect(try JSONParser.parse(JSONWriter.write(value)) == value)
    #expect(JSONWriter.quoted("\u{1F}\u{7F}") == "\"\\u001f\\u007f\"")
}
