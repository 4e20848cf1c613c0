import JSONSupport
import Testing

@Suite struct UTF8ValidationTests {
    private func firstInvalid(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset(in: $0) }
    }

    @Test func acceptsWellFormedText() {
        #expect(firstInvalid(Array("plain ascii that is longer than eight bytes".utf8)) == nil)
        #expect(firstInvalid(Array("é 你好 😀 \u{10FFFF}".utf8)) == nil)
        #expect(firstInvalid([]) == nil)
    }

    @Test func findsTheFirstBadByte() {
        #expect(firstInvalid([0x61, 0xFF]) == 1)
        #expect(firstInvalid([0x61, 0x62, 0xC0, 0x80]) == 2)  // overlong NUL
        #expect(firstInvalid([0xE0, 0x80, 0x80]) == 0)  // overlong three-byte form
        #expect(firstInvalid([0xED, 0xA0, 0x80]) == 0)  // UTF-16 surrogate
        #expect(firstInvalid([0xF4, 0x90, 0x80, 0x80]) == 0)  // above U+10FFFF
        #expect(firstInvalid([0xF5, 0x80, 0x80, 0x80]) == 0)
        #expect(firstInvalid(Array("abcdefghij".utf8) + [0xE4, 0xBD]) == 10)  // truncated at the end
        #expect(firstInvalid([0xE4, 0x41, 0xA0]) == 0)  // bad continuation
    }

    @Test func columnsCountCharactersNotBytes() {
        let bytes = Array("你好x".utf8) + [0xFF]
        #expect(bytes.withUnsafeBufferPointer { UTF8Validation.column(ofByte: 7, in: $0) } == 4)
    }
}
