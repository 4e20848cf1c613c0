import JSONSupport
import Testing

@Suite struct JSONWriterTests {
    @Test func roundTrips() throws {
        let value = JSONValue.object([
            ("text", .string("quote \" backslash \\ newline \n tab \t bell \u{7} \u{1}é 你好")),
            ("numbers", .array([.number(3), .number(-0.25), .number(1e-7), .number(12345678901), .int(-4)])),
            ("flags", .array([.bool(true), .null])),
            ("nested", .object([("x", .array([.array([.string("a"), .string("b")])]))])),
        ])
        let compact = JSONWriter.string(value)
        #expect(compact.contains("\\u0007"))
        #expect(compact.contains("12345678901"))
        #expect(!compact.contains(" \"") && !compact.contains("\n"))
        #expect(try JSONParser.parse(compact) == value)
        #expect(try JSONParser.parse(JSONWriter.string(value, style: .pretty)) == value)
    }

    @Test func writesNumbersShortest() {
        #expect(
            JSONWriter.string(.array([.number(1), .number(1.5), .number(-0.0), .number(1e300), .number(.nan)]))
                == "[1,1.5,0,1e+300,null]")
    }

    @Test func prettyPrintsWithScalarArraysInline() {
        let value = JSONValue.object([
            ("merges", .array([.array([.string("a"), .string("b")]), .array([.string("ab"), .string("c")])])),
            ("ids", .array([.int(1), .int(2)])), ("empty", .array([])), ("none", .object([])),
        ])
        #expect(
            JSONWriter.string(value, style: .pretty) == """
                {
                  "merges": [
                    ["a", "b"],
                    ["ab", "c"]
                  ],
                  "ids": [1, 2],
                  "empty": [],
                  "none": {}
                }
                """)
    }

    @Test func quotesForMessages() {
        #expect(JSONWriter.quoted("\u{1F}\u{7F}") == "\"\\u001f\\u007f\"")
        #expect(JSONWriter.quoted("a\"b") == "\"a\\\"b\"")
    }

    @Test func appendsToABuffer() {
        var writer = JSONWriter()
        writer.write(.string("x"))
        writer.append(raw: 0x0A)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "\"x\"\n")
        writer.reset()
        writer.write(.int(7))
        #expect(writer.bytes == Array("7".utf8))
    }
}
