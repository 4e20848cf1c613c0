/// Llama-3's pre-tokenization regex (Qwen2's with `maxDigits` 1) as a scanner:
/// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
/// Alternatives are tried in order, as a backtracking regex engine does, so the first that matches wins.
enum Llama3Scanner {
    @inline(__always)
    static func matchEnd(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ u: UnicodeClassifier, maxDigits: Int)
        -> Int
    {
        let b = p[start]
        if b == UInt8(ascii: "'"), start + 1 < end, let length = contraction(p, start + 1, end) {
            return start + 1 + length
        }
        let (cls, length) = ScannerRuns.classAt(p, start, u)
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if cls.contains(.letter) { return ScannerRuns.run(of: .letter, p, from: start + length, end, u) }
        let isNewline = b == 0x0A || b == 0x0D
        if !isNewline, !cls.contains(.number), start + length < end {
            let (next, nextLength) = ScannerRuns.classAt(p, start + length, u)
            if next.contains(.letter) {
                return ScannerRuns.run(of: .letter, p, from: start + length + nextLength, end, u)
            }
        }
        // \p{N}{1,maxDigits}
        if cls.contains(.number) {
            var j = start + length
            var count = 1
            while count < maxDigits, j < end {
                let (c, l) = ScannerRuns.classAt(p, j, u)
                if !c.contains(.number) { break }
                j += l
                count += 1
            }
            return j
        }
        // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
        var otherStart = -1
        if ScannerRuns.isOther(cls) {
            otherStart = start + length
        } else if b == UInt8(ascii: " "), start + 1 < end {
            let (next, nextLength) = ScannerRuns.classAt(p, start + 1, u)
            if ScannerRuns.isOther(next) { otherStart = start + 1 + nextLength }
        }
        if otherStart >= 0 {
            var j = ScannerRuns.runOfOther(p, from: otherStart, end, u)
            while j < end, p[j] == 0x0A || p[j] == 0x0D { j += 1 }
            return j
        }
        // Only whitespace is left. `\s*[\r\n]+`: up to and including the run's last CR or LF.
        var j = start
        var afterLastNewline = -1
        while j < end {
            let (c, l) = ScannerRuns.classAt(p, j, u)
            if !c.contains(.whitespace) { break }
            if p[j] == 0x0A || p[j] == 0x0D { afterLastNewline = j + 1 }
            j += l
        }
        if afterLastNewline >= 0 { return afterLastNewline }
        return ScannerRuns.whitespaceEnd(p, start, end, u)
    }

    /// Length after the apostrophe of `(?i:s|t|re|ve|m|ll|d)` at `i`, or nil. Case folding as HF's regex engine does
    /// it: ASCII case, plus U+017F LATIN SMALL LETTER LONG S for `s`.
    @inline(__always)
    private static func contraction(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int? {
        let c = p[i] | 0x20  // ASCII lowercase (only compared with letters)
        switch c {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
            return p[i] & 0xC0 == 0x40 ? 1 : nil
        case UInt8(ascii: "r"), UInt8(ascii: "v"):
            return p[i] & 0xC0 == 0x40 && i + 1 < end && p[i + 1] | 0x20 == UInt8(ascii: "e") && p[i + 1] & 0xC0 == 0x40
                ? 2 : nil
        case UInt8(ascii: "l"):
            return p[i] & 0xC0 == 0x40 && i + 1 < end && p[i + 1] | 0x20 == UInt8(ascii: "l") && p[i + 1] & 0xC0 == 0x40
                ? 2 : nil
        default:
            // ſ (U+017F) is C5 BF in UTF-8.
            return p[i] == 0xC5 && i + 1 < end && p[i + 1] == 0xBF ? 2 : nil
        }
    }
}
