import Testing

@testable import Tokenizers

/// The pieces a pattern cuts `text` into.
private func pieces(_ text: String, _ pattern: SplitPattern) -> [String] {
    var text = text
    return text.withUTF8 { b in
        guard let p = b.baseAddress else { return [] }
        var out: [String] = []
        var i = 0
        while i < b.count {
            let j = pattern.matchEnd(p, i, b.count, UnicodeClassifier.shared)
            #expect(j > i)
            out.append(String(decoding: UnsafeBufferPointer(rebasing: b[i..<j]), as: UTF8.self))
            i = j
        }
        return out
    }
}

@Test func gpt2Pattern() {
    #expect(pieces("Hello world!", .gpt2) == ["Hello", " world", "!"])
    #expect(pieces("It's 2026; we've", .gpt2) == ["It", "'s", " 2026", ";", " we", "'ve"])
    #expect(pieces("a   b", .gpt2) == ["a", "  ", " b"])  // \s+(?!\S) leaves the last space to the word
    #expect(pieces("a \n\nb", .gpt2) == ["a", " \n", "\n", "b"])
    #expect(pieces("end  ", .gpt2) == ["end", "  "])
    #expect(pieces("IT'S 'll", .gpt2) == ["IT", "'", "S", " '", "ll"])  // case-sensitive contractions
    #expect(pieces("x**2  # c", .gpt2) == ["x", "**", "2", " ", " #", " c"])
    #expect(pieces("你好，世界", .gpt2) == ["你好", "，", "世界"])
    #expect(pieces("a\u{3000}b", .gpt2) == ["a", "\u{3000}", "b"])
}

@Test func llama3Pattern() {
    let llama3 = SplitPattern.llama3(maxDigits: 3)
    #expect(pieces("Hello world!", llama3) == ["Hello", " world", "!"])
    #expect(pieces("IT'S we'LL it'ſ", llama3) == ["IT", "'S", " we", "'LL", " it", "'ſ"])
    #expect(pieces("1234567 x", llama3) == ["123", "456", "7", " x"])
    #expect(pieces(" 12", llama3) == [" ", "12"])
    #expect(pieces("\tword 'quoted", llama3) == ["\tword", " '", "quoted"])
    #expect(pieces("end.\n\nNext", llama3) == ["end", ".\n\n", "Next"])
    #expect(pieces("a \n  b", llama3) == ["a", " \n", " ", " b"])
    #expect(pieces("x\n\n", llama3) == ["x", "\n\n"])
    #expect(pieces("3.14", llama3) == ["3", ".", "14"])
    #expect(pieces("3.14", .llama3(maxDigits: 1)) == ["3", ".", "1", "4"])
}

@Test func patternsAreRecognisedByTheirRegex() {
    #expect(SplitPattern(regex: SplitPattern.gpt2Regex) == .gpt2)
    #expect(SplitPattern(regex: SplitPattern.llama3Regex) == .llama3(maxDigits: 3))
    #expect(SplitPattern(regex: SplitPattern.qwen2Regex) == .llama3(maxDigits: 1))
    #expect(SplitPattern(regex: "\\w+") == nil)
    for pattern in [SplitPattern.gpt2, .llama3(maxDigits: 3), .llama3(maxDigits: 1)] {
        #expect(SplitPattern(regex: pattern.regex) == pattern)
    }
}

@Test func digitsSplitter() {
    func split(_ text: String, individual: Bool) -> [String] {
        var text = text
        return text.withUTF8 { b in
            var out: [String] = []
            var i = 0
            while i < b.count {
                let j = DigitsSplitter.pieceEnd(
                    b.baseAddress!, i, b.count, UnicodeClassifier.shared, individual: individual)
                out.append(String(decoding: UnsafeBufferPointer(rebasing: b[i..<j]), as: UTF8.self))
                i = j
            }
            return out
        }
    }
    #expect(split("ab 123x", individual: true) == ["ab ", "1", "2", "3", "x"])
    #expect(split("ab 123x", individual: false) == ["ab ", "123", "x"])
    #expect(split("²½٣", individual: true) == ["²", "½", "٣"])
}

@Test func classifierFollowsHuggingFaceTables() {
    let u = UnicodeClassifier.shared
    #expect(u.classes(of: 0x41) == .letter)
    #expect(u.classes(of: 0x4E2D) == .letter)  // 中
    #expect(u.classes(of: 0x31) == [.number, .digit])
    #expect(u.classes(of: 0xB2) == [.number, .digit])  // ²
    #expect(u.classes(of: 0x20) == .whitespace)
    #expect(u.classes(of: 0x3000) == .whitespace)
    #expect(u.classes(of: 0x85) == .whitespace)
    #expect(u.classes(of: 0x200B) == [])  // zero-width space is not \s
    #expect(u.classes(of: 0x1F916) == [])  // 🤖
    #expect(u.classes(of: 0x301) == [])  // combining acute is not \p{L}
    // Every range of the tables is honoured at its ends.
    for (table, flag) in [
        (UnicodeClassTables.letters, CharacterClass.letter), (UnicodeClassTables.numbers, .number),
        (UnicodeClassTables.whitespace, .whitespace), (UnicodeClassTables.digits, .digit),
    ] {
        for pair in stride(from: 0, to: table.count, by: 2) {
            #expect(u.classes(of: table[pair]).contains(flag))
            #expect(u.classes(of: table[pair + 1]).contains(flag))
        }
    }
}
