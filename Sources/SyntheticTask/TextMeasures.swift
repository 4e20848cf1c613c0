import Foundation

/// The surface measures the gold oracle and the simulated annotators read off a response, in both languages.
public enum TextMeasures {
    /// The text's units: each Chinese character alone, each run of Latin letters or digits as one word (lowercased).
    /// Lengths are counted in units so that English and Chinese answers of the same content are comparable.
    public static func units(_ text: String) -> [String] {
        var units: [String] = []
        var word = ""
        for character in text.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                word.append(character)
                continue
            }
            if !word.isEmpty { units.append(word); word = "" }
            if isCJK(character) { units.append(String(character)) }
        }
        if !word.isEmpty { units.append(word) }
        return units
    }

    static func isCJK(_ character: Character) -> Bool {
        character.unicodeScalars.contains {
            (0x4E00...0x9FFF).contains($0.value) || (0x3400...0x4DBF).contains($0.value)
        }
    }

    /// Phrases that mark a refusal. Matched on the lowercased text with straight apostrophes.
    public static let refusalMarkers = ["i can't", "i cannot", "i won't", "sorry", "抱歉", "我不能", "无法帮"]

    /// Whether the response refuses the request: it contains one of `markers`.
    public static func isRefusal(_ text: String, markers: [String] = refusalMarkers) -> Bool {
        let lower = text.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
        return markers.contains { lower.contains($0) }
    }

    /// How far the text is in `language`, in [0, 1]: the share of its Latin words (English) or Chinese characters
    /// (Chinese) among both, divided by 0.8 and capped at 1, so a Chinese answer naming "Python" still counts as
    /// Chinese. Units of digits only belong to neither language; a text with none of either scores 1.
    public static func languageMatch(_ text: String, language: TaskLanguage) -> Double {
        var chinese = 0, latin = 0
        for unit in units(text) {
            if unit.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) { continue }
            if unit.first.map(isCJK) == true { chinese += 1 } else { latin += 1 }
        }
        guard chinese + latin > 0 else { return 1 }
        let share = Double(language == .chinese ? chinese : latin) / Double(chinese + latin)
        return min(1, share / 0.8)
    }

    /// Whether the text ends as a finished answer does: with sentence-final punctuation (possibly followed by closing
    /// quotes or brackets), a closing code fence, or an emoji; not mid-sentence, as an answer cut at a token limit.
    public static func endsFinished(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasSuffix("```") { return true }
        let closers = Set("\"'”’)]）】」』*_")
        guard let last = trimmed.last(where: { !closers.contains($0) }) else { return false }
        return Set(".!?。！？…~").contains(last)
            || last.unicodeScalars.contains { $0.properties.isEmojiPresentation }
    }

    /// The fraction of the text's unit trigrams that repeat an earlier one: 0 for fluent text, near 1 for a loop.
    public static func repetition(_ text: String) -> Double {
        let units = units(text)
        guard units.count >= 4 else { return 0 }
        var seen: Set<[String]> = []
        var repeats = 0
        for i in 0...(units.count - 3) where !seen.insert(Array(units[i..<(i + 3)])).inserted { repeats += 1 }
        return Double(repeats) / Double(units.count - 2)
    }

    /// The fraction of whitespace-separated pieces that are garbage: stray symbols, or Latin letters with no vowel
    /// (y counts as one, for "sky" and "my").
    public static func garbage(_ text: String) -> Double {
        let pieces = text.split(whereSeparator: \.isWhitespace)
        guard !pieces.isEmpty else { return 0 }
        let symbols = Set("#@%&~^|_<>{}[]\\")  // not "*": arithmetic answers use it
        let vowels = Set("aeiouy")
        let bad = pieces.filter { piece in
            if piece.contains(where: { symbols.contains($0) }) { return true }
            let letters = piece.lowercased().filter { $0.isASCII && $0.isLetter }
            return letters.count >= 2 && letters.count == piece.filter(\.isLetter).count
                && !letters.contains(where: vowels.contains)
        }
        return Double(bad.count) / Double(pieces.count)
    }

    /// The last run of digits in the text as a number (the stated result of a calculation), if any.
    public static func lastInteger(_ text: String) -> Int? {
        var last: Int?
        var digits = ""
        for character in text + " " {
            if character.isASCII && character.isNumber { digits.append(character); continue }
            if !digits.isEmpty { last = Int(digits); digits = "" }
        }
        return last
    }

    /// Whether `word` occurs in `text`: as a whole word when it is Latin (so "ice" is not found in "nice"), as a
    /// substring otherwise.
    public static func contains(_ text: String, word: String) -> Bool {
        let target = units(word)
        if target.allSatisfy({ $0.allSatisfy(\.isASCII) }) && !target.isEmpty {
            let all = units(text)
            guard all.count >= target.count else { return false }
            return (0...(all.count - target.count)).contains { Array(all[$0..<($0 + target.count)]) == target }
        }
        return text.contains(word)
    }
}
