/// HF's `Digits` pre-tokenizer: numeric characters (Rust's `char::is_numeric`) become their own pieces, one per
/// character (`individual_digits`) or one per run.
enum DigitsSplitter {
    /// End of the piece starting at `start`.
    @inline(__always)
    static func pieceEnd(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ u: UnicodeClassifier, individual: Bool)
        -> Int
    {
        let (c, length) = ScannerRuns.classAt(p, start, u)
        var j = start + length
        if c.contains(.digit) {
            if !individual { j = ScannerRuns.run(of: .digit, p, from: j, end, u) }
            return j
        }
        while j < end {
            let (next, l) = ScannerRuns.classAt(p, j, u)
            if next.contains(.digit) { break }
            j += l
        }
        return j
    }
}
