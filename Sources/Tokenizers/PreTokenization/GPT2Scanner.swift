/// GPT-2's pre-tokenization regex as a scanner:
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
/// Alternatives are tried in order, as a backtracking regex engine does, so the first that matches wins.
enum GPT2Scanner {
    @inline(__always)
    static func matchEnd(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ u: UnicodeClassifier) -> Int {
        let b = p[start]
        if b == UInt8(ascii: "'"), start + 1 < end, let length = contraction(p, start + 1, end) {
            return start + 1 + length
        }
        let (cls, length) = ScannerRuns.classAt(p, start, u)
        if b == UInt8(ascii: " "), start + 1 < end {
            let (next, nextLength) = ScannerRuns.classAt(p, start + 1, u)
            if next.contains(.letter) { return ScannerRuns.run(of: .letter, p, from: start + 1 + nextLength, end, u) }
            if next.contains(.number) { return ScannerRuns.run(of: .number, p, from: start + 1 + nextLength, end, u) }
            if ScannerRuns.isOther(next) { return ScannerRuns.runOfOther(p, from: start + 1 + nextLength, end, u) }
        }
        if cls.contains(.letter) { return ScannerRuns.run(of: .letter, p, from: start + length, end, u) }
        if cls.contains(.number) { return ScannerRuns.run(of: .number, p, from: start + length, end, u) }
        if !cls.contains(.whitespace) { return ScannerRuns.runOfOther(p, from: start + length, end, u) }
        return ScannerRuns.whitespaceEnd(p, start, end, u)
    }

    /// Length after the apostrophe of `s|t|re|ve|m|ll|d` (case-sensitive) at `i`, or nil.
    @inline(__always)
    private static func contraction(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int? {
        switch p[i] {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"): return 1
        case UInt8(ascii: "r"), UInt8(ascii: "v"): return i + 1 < end && p[i + 1] == UInt8(ascii: "e") ? 2 : nil
        case UInt8(ascii: "l"): return i + 1 < end && p[i + 1] == UInt8(ascii: "l") ? 2 : nil
        default: return nil
        }
    }
}
