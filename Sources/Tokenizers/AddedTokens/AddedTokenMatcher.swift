/// A piece of text after added-token matching: plain text to pre-tokenize, or one added token.
enum TextSegment: Equatable {
    case text(Range<Int>)
    case token(id: Int, Range<Int>)
}

/// Finds added tokens in UTF-8 text the way HF does: leftmost-longest, non-overlapping; a match rejected by
/// `singleWord` is skipped as a whole; `leftStrip`/`rightStrip` widen a match over neighbouring whitespace.
struct AddedTokenMatcher: Sendable {
    private struct Node: Sendable {
        var children: [(byte: UInt8, node: Int32)] = []
        var token: Int32 = -1  // index into `tokens`
    }

    private let nodes: [Node]
    private let startsMatch: [Bool]  // by first byte
    private let tokens: [AddedToken]

    var isEmpty: Bool { tokens.isEmpty }

    init(_ tokens: [AddedToken]) {
        var nodes = [Node()]
        var startsMatch = [Bool](repeating: false, count: 256)
        var kept: [AddedToken] = []
        for token in tokens where !token.content.isEmpty {
            var node = 0
            for byte in token.content.utf8 {
                if let child = nodes[node].children.first(where: { $0.byte == byte })?.node {
                    node = Int(child)
                } else {
                    nodes.append(Node())
                    nodes[node].children.append((byte, Int32(nodes.count - 1)))
                    node = nodes.count - 1
                }
            }
            if nodes[node].token < 0 {
                nodes[node].token = Int32(kept.count)
                kept.append(token)
            }
            startsMatch[Int(token.content.utf8.first!)] = true
        }
        self.nodes = nodes
        self.startsMatch = startsMatch
        self.tokens = kept
    }

    /// Appends the segments of `p[range]` to `out`.
    func split(_ p: UnsafePointer<UInt8>, _ range: Range<Int>, into out: inout [TextSegment]) {
        guard !tokens.isEmpty else {
            if !range.isEmpty { out.append(.text(range)) }
            return
        }
        var segmentStart = range.lowerBound
        var i = range.lowerBound
        while i < range.upperBound {
            guard startsMatch[Int(p[i])], let (tokenIndex, matchEnd) = longestMatch(p, at: i, end: range.upperBound)
            else {
                i += 1
                continue
            }
            let token = tokens[tokenIndex]
            if token.singleWord, !isSingleWord(p, start: i, end: matchEnd, range: range) {
                i = matchEnd
                continue
            }
            var start = i
            var stop = matchEnd
            if token.leftStrip {
                start = max(whitespaceStart(p, before: i, floor: range.lowerBound), segmentStart)
            }
            if token.rightStrip { stop = whitespaceEnd(p, from: matchEnd, end: range.upperBound) }
            if start > segmentStart { out.append(.text(segmentStart..<start)) }
            out.append(.token(id: token.id, start..<stop))
            segmentStart = stop
            i = stop
        }
        if segmentStart < range.upperBound { out.append(.text(segmentStart..<range.upperBound)) }
    }

    private func longestMatch(_ p: UnsafePointer<UInt8>, at start: Int, end: Int) -> (Int, Int)? {
        var node = 0
        var best: (Int, Int)?
        var i = start
        while i < end {
            guard let child = nodes[node].children.first(where: { $0.byte == p[i] }) else { break }
            node = Int(child.node)
            i += 1
            if nodes[node].token >= 0 { best = (Int(nodes[node].token), i) }
        }
        return best
    }

    /// HF's single-word rule: no word character right before or right after the match.
    private func isSingleWord(_ p: UnsafePointer<UInt8>, start: Int, end: Int, range: Range<Int>) -> Bool {
        if start > range.lowerBound {
            var s = start - 1
            while s > range.lowerBound, p[s] & 0xC0 == 0x80 { s -= 1 }
            if Self.isWordCharacter(UTF8Scalar.decode(p, s).scalar) { return false }
        }
        if end < range.upperBound, Self.isWordCharacter(UTF8Scalar.decode(p, end).scalar) { return false }
        return true
    }

    /// `\w` of Rust's regex crate, which HF uses here: alphabetic, marks, decimal digits, connector punctuation and
    /// the joiners.
    private static func isWordCharacter(_ scalar: UInt32) -> Bool {
        guard let s = Unicode.Scalar(scalar) else { return false }
        let properties = s.properties
        if properties.isAlphabetic || properties.isJoinControl { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    private func whitespaceStart(_ p: UnsafePointer<UInt8>, before index: Int, floor: Int) -> Int {
        var start = index
        while start > floor {
            var s = start - 1
            while s > floor, p[s] & 0xC0 == 0x80 { s -= 1 }
            guard UnicodeClassifier.shared.classes(of: UTF8Scalar.decode(p, s).scalar).contains(.whitespace) else {
                break
            }
            start = s
        }
        return start
    }

    private func whitespaceEnd(_ p: UnsafePointer<UInt8>, from index: Int, end: Int) -> Int {
        var i = index
        while i < end {
            let (scalar, length) = UTF8Scalar.decode(p, i)
            guard UnicodeClassifier.shared.classes(of: scalar).contains(.whitespace) else { break }
            i += length
        }
        return i
    }
}
