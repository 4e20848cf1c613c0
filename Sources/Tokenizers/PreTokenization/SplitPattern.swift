/// The pre-tokenization regexes of the model families we support, each matched by a hand-written scanner with the
/// regex's exact semantics (Swift's `Regex` is far too slow for this).
enum SplitPattern: Sendable, Equatable {
    /// GPT-2's `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` (also the regex of HF's
    /// `ByteLevel` pre-tokenizer with `use_regex`, and of SmolLM2 after digit splitting).
    case gpt2
    /// Llama-3's pattern (also GLM-4's): case-insensitive contractions, one optional non-letter before letters,
    /// numbers in groups of up to `maxDigits` (3 for Llama-3, 1 for Qwen2), punctuation runs absorbing newlines.
    case llama3(maxDigits: Int)

    static let gpt2Regex = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    static let llama3Regex =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let qwen2Regex =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// The scanner for a regex found in a tokenizer.json `Split`, nil if it is not one we implement.
    init?(regex: String) {
        switch regex {
        case Self.gpt2Regex: self = .gpt2
        case Self.llama3Regex: self = .llama3(maxDigits: 3)
        case Self.qwen2Regex: self = .llama3(maxDigits: 1)
        default: return nil
        }
    }

    /// The regex this scanner implements (what a saved tokenizer.json records).
    var regex: String {
        switch self {
        case .gpt2: Self.gpt2Regex
        case .llama3(let maxDigits): maxDigits == 1 ? Self.qwen2Regex : Self.llama3Regex
        }
    }

    /// End of the match starting at `start` (< `end`). The patterns match every character, so pieces tile the text.
    @inline(__always)
    func matchEnd(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ u: UnicodeClassifier) -> Int {
        switch self {
        case .gpt2: GPT2Scanner.matchEnd(p, start, end, u)
        case .llama3(let maxDigits): Llama3Scanner.matchEnd(p, start, end, u, maxDigits: maxDigits)
        }
    }
}

/// Shared pieces of the pattern scanners. The classifier is passed in (not read from its global) so hot loops do not
/// pay for the global's lazy-initialisation check.
enum ScannerRuns {
    @inline(__always)
    static func classAt(_ p: UnsafePointer<UInt8>, _ i: Int, _ u: UnicodeClassifier) -> (CharacterClass, Int) {
        let b = p[i]
        if b < 0x80 { return (u.classes(of: UInt32(b)), 1) }
        let (scalar, length) = UTF8Scalar.decode(p, i)
        return (u.classes(of: scalar), length)
    }

    /// End of the run of characters in `cls`, starting at `i`.
    @inline(__always)
    static func run(of cls: CharacterClass, _ p: UnsafePointer<UInt8>, from i: Int, _ end: Int, _ u: UnicodeClassifier)
        -> Int
    {
        var j = i
        while j < end {
            let (c, length) = classAt(p, j, u)
            if !c.contains(cls) { break }
            j += length
        }
        return j
    }

    /// End of the run of `[^\s\p{L}\p{N}]` starting at `i`.
    @inline(__always)
    static func runOfOther(_ p: UnsafePointer<UInt8>, from i: Int, _ end: Int, _ u: UnicodeClassifier) -> Int {
        var j = i
        while j < end {
            let (c, length) = classAt(p, j, u)
            if !c.isDisjoint(with: [.letter, .number, .whitespace]) { break }
            j += length
        }
        return j
    }

    /// `\s+(?!\S)|\s+` at `start` (a whitespace character): the whole run if it ends the text, else the run minus its
    /// last character (which then leads the next piece), or the single character if the run has only one.
    @inline(__always)
    static func whitespaceEnd(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ u: UnicodeClassifier) -> Int {
        var j = start
        var lastStart = start
        while j < end {
            let (c, length) = classAt(p, j, u)
            if !c.contains(.whitespace) { break }
            lastStart = j
            j += length
        }
        if j == end || lastStart == start { return j }
        return lastStart
    }

    @inline(__always)
    static func isOther(_ c: CharacterClass) -> Bool { c.isDisjoint(with: [.letter, .number, .whitespace]) }
}
