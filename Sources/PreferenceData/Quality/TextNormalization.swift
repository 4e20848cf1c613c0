/// Normalised words of text, the common ground of the prompt-quality rules and keyword matching.
///
/// Words are runs of letters and digits, lowercased. Chinese, Japanese and Korean characters are words of their own
/// (those scripts do not separate words with spaces, and one character carries about a word's meaning), so the
/// rules work on them without a segmenter. Everything else (punctuation, symbols, emoji, spacing) separates words.
package enum TextNormalization {
    /// The words of `text`.
    package static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        for scalar in text.unicodeScalars {
            // ASCII (most text) without the Unicode property tables.
            if scalar.value < 0x80 {
                switch scalar.value {
                case 0x61...0x7A, 0x30...0x39: current.append(scalar)
                case 0x41...0x5A: current.append(Unicode.Scalar(scalar.value + 32)!)
                default: flush()
                }
                continue
            }
            if isIdeographic(scalar) {
                flush()
                words.append(String(scalar))
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// The words of `text` joined by single spaces: equal for texts that differ only in case, punctuation and spacing.
    package static func normalized(_ text: String) -> String {
        words(text).joined(separator: " ")
    }

    /// True for scripts written without spaces between words (CJK ideographs, kana, Hangul syllables).
    package static func isIdeographic(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF,  // hiragana, katakana
            0x3400...0x4DBF,  // CJK extension A
            0x4E00...0x9FFF,  // CJK unified ideographs
            0xAC00...0xD7AF,  // Hangul syllables
            0xF900...0xFAFF,  // CJK compatibility ideographs
            0x20000...0x2FA1F:  // CJK extensions B and later
            return true
        default:
            return false
        }
    }
}
