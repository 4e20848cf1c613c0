/// Counts the distinct pre-tokenized words of a corpus (special tokens are cut out first, as HF does).
struct WordCounter {
    private let table = ByteKeyedTable(minimumCapacity: 1 << 14)
    private(set) var counts: [Int] = []
    private let steps: [PreTokenizerStep]
    private let specials: AddedTokenMatcher
    private let classifier = UnicodeClassifier.shared

    init(steps: [PreTokenizerStep], specialTokens: [String]) {
        self.steps = steps
        specials = AddedTokenMatcher(specialTokens.enumerated().map { AddedToken(content: $1, id: $0) })
    }

    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            guard let p = buffer.baseAddress, buffer.count > 0 else { return }
            var segments: [TextSegment] = []
            specials.split(p, 0..<buffer.count, into: &segments)
            for case .text(let range) in segments { split(step: 0, p, range.lowerBound, range.upperBound) }
        }
    }

    private mutating func split(step: Int, _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) {
        guard start < end else { return }
        guard step < steps.count else {
            let n = end - start
            let hash = ByteKeyedTable.hash(p + start, n)
            if let index = table.find(p + start, n, hash: hash) {
                counts[Int(index)] += 1
            } else {
                table.insert(p + start, n, hash: hash, value: UInt64(counts.count))
                counts.append(1)
            }
            return
        }
        var i = start
        while i < end {
            let j: Int
            switch steps[step] {
            case .pattern(let pattern): j = pattern.matchEnd(p, i, end, classifier)
            case .digits(let individual): j = DigitsSplitter.pieceEnd(p, i, end, classifier, individual: individual)
            case .prefixSpace: j = end  // training never adds prefix spaces
            }
            split(step: step + 1, p, i, j)
            i = j
        }
    }

    /// Each distinct word's bytes with its count, in first-seen order.
    func words() -> [(bytes: [UInt8], count: Int)] {
        var result: [(bytes: [UInt8], count: Int)] = []
        result.reserveCapacity(counts.count)
        table.forEach { key, value in result.append((Array(key), counts[Int(value)])) }
        return result
    }
}
