import JSONSupport
import Testing

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

    private func parseError(_ text: String, options: JSONParser.Options = .init()) -> JSONParseError? {
        do {
            _ = try JSONParser.parse(text, options: options)
            return nil
        } catch {
            return error
        }
    }

    private func parseError(bytes: [UInt8]) -> JSONParseError? {
        bytes.withUnsafeBufferPointer { buffer -> JSONParseError? in
            do throws(JSONParseError) {
                _ = try JSONParser.parse(buffer)
                return nil
            } catch {
                return error
            }
        }
    }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(
            #" {"s": "x", "n": -1.5e2, "i": 0, "t": true, "f": false, "z": null, "a": [1, [], {}], "e": ""} "#)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.keys == ["s", "n", "i", "t", "f", "z", "a", "e"])
        #expect(object["s"] == .string("x"))
        #expect(object["n"] == .number(-150))
        #expect(object["i"] == .number(0))
        #expect(object["t"] == .bool(true))
        #expect(object["f"] == .bool(false))
        #expect(object["z"] == .null)
        #expect(object["a"] == .array([.number(1), .array([]), .object(JSONObject())]))
        #expect(value["e"]?.string == "")
    }

    @Test func readsValuesThroughAccessors() throws {
        let value = try parse(#"{"a": [1, -2.5, 3e2, 12345678901234567890], "b": {"c": "d"}, "t": true, "z": null}"#)
        #expect(value["a"]?.array?.map(\.int) == [1, nil, 300, nil])
        #expect(value["a"]?.array?.first?.number == 1)
        #expect(value["b"]?["c"]?.string == "d")
        #expect(value["t"]?.bool == true)
        #expect(value["z"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value["b"]?.object?.keys == ["c"])
        #expect(value.typeDescription == "an object")
        var pairs: [String] = []
        for (key, field) in try #require(value.object) { pairs.append("\(key)=\(field.typeDescription)") }
        #expect(pairs == ["a=an array", "b=an object", "t=a boolean", "z=null"])
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\r\b\f""#) == .string("a\"b\\c/d\n\t\r\u{8}\u{C}"))
        #expect(try parse(#""\u0120\u00e9\u4f60\ud83d\ude00\ud83e\udd16""#) == .string("Ġé你😀🤖"))
        #expect(try parse(#""\u0000x""#) == .string("\u{0}x"))
        #expect(try parse("\"raw é 你 😀\"") == .string("raw é 你 😀"))
        // Long enough for the eight-bytes-at-a-time scan, with the special byte at every position of a word.
        for position in 0..<16 {
            let prefix = String(repeating: "a", count: position)
            #expect(try parse("\"\(prefix)\\n\(prefix)\"") == .string("\(prefix)\n\(prefix)"))
            #expect(try parse("\"\(prefix)é\(prefix)\"") == .string("\(prefix)é\(prefix)"))
            #expect(parseError("\"\(prefix)\t\"")?.message.contains("unescaped control character") == true)
        }
    }

    @Test func reportsLineAndColumn() {
        #expect(
            parseError("{\n  \"a\": 1,\n  \"b\" 2\n}")?.description
                == "line 3, column 7: unexpected '2', expected ':' after object key")
        #expect(
            parseError("[1, 2")?.description == "line 1, column 6: unexpected end of file, expected ',' or ']' in array"
        )
        #expect(parseError("\"abc")?.description == "line 1, column 1: unterminated string")
        #expect(parseError("")?.description == "line 1, column 1: unexpected end of file, expected a value")
        #expect(parseError("[\"你好\", x]")?.column == 8)  // columns count characters, not bytes
        #expect(
            parseError("[1,", options: .init(endOfInput: "end of line"))?.message
                == "unexpected end of line, expected a value")
    }

    @Test func reportsWhatAndWhere() {
        let cases: [(String, Int, String)] = [
            ("{\"a\": 1,}", 8, "expected a string key in object"),
            ("{\"a\": 1 \"b\": 2}", 8, "expected ',' or '}' in object"),
            ("{\"a\": 1, \"a\": 2}", 9, "duplicate field \"a\""),
            ("[01]", 1, "leading zero"),
            ("[1.]", 1, "no digits after '.'"),
            ("[1e]", 1, "no digits in the exponent"),
            ("[-]", 1, "invalid number"),
            ("\"abc", 0, "unterminated string"),
            ("\"a\tb\"", 2, "unescaped control character"),
            ("\"\\ud800\"", 1, "unpaired surrogate"),
            ("\"\\udc00x\"", 1, "unpaired surrogate"),
            ("\"\\u12\"", 1, "\\u escape"),
            ("\"\\x\"", 1, "invalid escape"),
            ("tru", 0, "expected true"),
            ("{} x", 3, "unexpected text after the JSON value"),
            ("", 0, "unexpected end of file"),
            ("[1e999]", 1, "number out of range"),
        ]
        for (text, offset, message) in cases {
            let error = parseError(text)
            #expect(error?.offset == offset, "\(text)")
            #expect(error?.kind == .syntax, "\(text)")
            #expect(error?.message.contains(message) == true, "\(text): \(error?.message ?? "no error")")
        }
    }

    @Test func rejectsDuplicateKeysInSmallAndLargeObjects() throws {
        let fields = (0..<100).map { "\"k\($0)\": \($0)" }
        #expect(try parse("{" + fields.joined(separator: ", ") + "}").object?.count == 100)
        let repeated = parseError("{" + (fields + ["\"k3\": 0"]).joined(separator: ", ") + "}")
        #expect(repeated?.message == "duplicate field \"k3\"")
        #expect(parseError(#"{"a\u0062": 1, "ab": 2}"#)?.message == "duplicate field \"ab\"")
        // Names compare code unit by code unit (RFC 8259), so canonically equivalent spellings are different keys.
        let equivalent = #"{"\u00e9": 1, "e\u0301": 2}"#
        #expect(try parse(equivalent).object?.count == 2)
        #expect(
            try parse("{" + (fields + [#""\u00e9": 1"#, #""e\u0301": 2"#]).joined(separator: ", ") + "}").object?.count
                == 102)
    }

    @Test func rejectsInvalidUTF8() {
        let error = parseError(bytes: Array("[\"ab".utf8) + [0xFF] + Array("\"]".utf8))
        #expect(error?.kind == .invalidUTF8)
        #expect(error?.offset == 4)
        #expect(error?.description == "line 1, column 5: invalid UTF-8")
    }

    @Test func boundsNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(parseError(deep)?.message == "nesting deeper than 512 levels")
        let fine = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(parseError(fine) == nil)
        let limited = JSONParser.Options(maximumDepth: 256)
        #expect(
            parseError(String(repeating: "[", count: 257), options: limited)?.message
                == "nesting deeper than 256 levels")
    }
}
