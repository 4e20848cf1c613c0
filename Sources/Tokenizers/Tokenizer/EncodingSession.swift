/// The mutable state of one encoding thread: a cache of words already merged and reusable buffers. Sessions are
/// never used by two threads at once (see `SessionPool`). The hot path touches no shared reference count: tables are
/// read through pointer views, so threads do not contend.
final class EncodingSession {
    let core: TokenizerCore
    private let steps: [PreTokenizerStep]
    private let classifier = UnicodeClassifier.shared
    private let cache = ByteKeyedTable(minimumCapacity: 1 << 12)
    private var cachedIDs: [UInt32] = []
    private var words: WordEncoder
    private var wordIDs: [UInt32] = []
    private var segments: [TextSegment] = []
    private var innerSegments: [TextSegment] = []
    /// Where the current call collects token offsets, if it does.
    private var offsets: UnsafeMutablePointer<[Range<Int>]>?

    /// The cache is emptied when it holds this many words, which bounds a session's memory (~10–30 MB).
    static let cacheWordLimit = 1 << 17

    init(core: TokenizerCore) {
        self.core = core
        steps = core.preTokenizer.steps
        words = WordEncoder(model: core.model)
    }

    deinit { words.release() }

    /// Appends the ids of `text` to `ids`; when `offsets` is given, also each token's byte range in the text (in
    /// the normalized text, which is the text itself unless the tokenizer normalizes and the text changes).
    func encode(_ text: String, into ids: inout [Int], offsets: UnsafeMutablePointer<[Range<Int>]>? = nil) {
        self.offsets = offsets
        defer { self.offsets = nil }
        var text = text
        text.withUTF8 { buffer in
            guard let p = buffer.baseAddress, buffer.count > 0 else { return }
            segments.removeAll(keepingCapacity: true)
            core.rawMatcher.split(p, 0..<buffer.count, into: &segments)
            for segment in segments {
                switch segment {
                case .token(let id, let range):
                    ids.append(id)
                    offsets?.pointee.append(range)
                case .text(let range):
                    encodeNormalizing(p, range, into: &ids)
                }
            }
        }
    }

    private func encodeNormalizing(_ p: UnsafePointer<UInt8>, _ range: Range<Int>, into ids: inout [Int]) {
        if let normalized = core.normalizer.normalize(p, range) {
            // Offsets inside a changed segment cannot map back exactly; they are relative to the segment start.
            normalized.withUnsafeBufferPointer { b in
                guard let q = b.baseAddress else { return }
                encodeSecondPass(q, 0..<b.count, shift: range.lowerBound, into: &ids)
            }
        } else {
            encodeSecondPass(p, range, shift: 0, into: &ids)
        }
    }

    private func encodeSecondPass(_ p: UnsafePointer<UInt8>, _ range: Range<Int>, shift: Int, into ids: inout [Int]) {
        if core.normalizedMatcher.isEmpty {
            split(step: 0, p, range.lowerBound, range.upperBound, origin: range.lowerBound + shift, into: &ids)
            return
        }
        innerSegments.removeAll(keepingCapacity: true)
        core.normalizedMatcher.split(p, range, into: &innerSegments)
        for segment in innerSegments {
            switch segment {
            case .token(let id, let r):
                ids.append(id)
                offsets?.pointee.append((r.lowerBound + shift)..<(r.upperBound + shift))
            case .text(let r):
                split(step: 0, p, r.lowerBound, r.upperBound, origin: r.lowerBound + shift, into: &ids)
            }
        }
    }

    /// Applies pre-tokenizer step `index` to `p[start..<end]` and encodes the resulting pieces. `origin` is the
    /// offset in the input of `p[start]` (one before it for a piece with an added prefix space).
    private func split(
        step index: Int, _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, origin: Int,
        into ids: inout [Int]
    ) {
        guard start < end else { return }
        guard index < steps.count else {
            encodePiece(p + start, end - start, origin: origin, into: &ids)
            return
        }
        switch steps[index] {
        case .pattern(let pattern):
            var i = start
            if index + 1 == steps.count {
                while i < end {
                    let j = pattern.matchEnd(p, i, end, classifier)
                    encodePiece(p + i, j - i, origin: origin + (i - start), into: &ids)
                    i = j
                }
            } else {
                while i < end {
                    let j = pattern.matchEnd(p, i, end, classifier)
                    split(step: index + 1, p, i, j, origin: origin + (i - start), into: &ids)
                    i = j
                }
            }
        case .digits(let individual):
            var i = start
            while i < end {
                let j = DigitsSplitter.pieceEnd(p, i, end, classifier, individual: individual)
                split(step: index + 1, p, i, j, origin: origin + (i - start), into: &ids)
                i = j
            }
        case .prefixSpace:
            if p[start] == UInt8(ascii: " ") {
                split(step: index + 1, p, start, end, origin: origin, into: &ids)
                return
            }
            var spaced = [UInt8](repeating: UInt8(ascii: " "), count: end - start + 1)
            for k in 0..<(end - start) { spaced[k + 1] = p[start + k] }
            spaced.withUnsafeBufferPointer { b in
                split(step: index + 1, b.baseAddress!, 0, b.count, origin: origin - 1, into: &ids)
            }
        }
    }

    /// Encodes one piece through the word cache.
    @inline(__always)
    private func encodePiece(_ p: UnsafePointer<UInt8>, _ n: Int, origin: Int, into ids: inout [Int]) {
        let first = ids.count
        defer { if offsets != nil { recordOffsets(ids[first...], origin: origin, length: n) } }
        if n == 1 {
            let id = words.byteID(p[0])
            if id >= 0 {
                ids.append(Int(id))
                return
            }
        }
        let hash = ByteKeyedTable.hash(p, n)
        if let packed = cache.find(p, n, hash: hash) {
            let start = Int(packed >> 32), count = Int(packed & 0xFFFF_FFFF)
            cachedIDs.withUnsafeBufferPointer { cached in
                for k in start..<(start + count) { ids.append(Int(cached[k])) }
            }
            return
        }
        wordIDs.removeAll(keepingCapacity: true)
        words.encode(p, n, into: &wordIDs)
        if cache.count >= Self.cacheWordLimit {
            cache.removeAll()
            cachedIDs.removeAll(keepingCapacity: true)
        }
        cache.insert(p, n, hash: hash, value: UInt64(cachedIDs.count) << 32 | UInt64(wordIDs.count))
        cachedIDs.append(contentsOf: wordIDs)
        for id in wordIDs { ids.append(Int(id)) }
    }

    /// Byte ranges of the tokens of one piece: each token covers the bytes it stands for, clipped to the piece.
    private func recordOffsets(_ pieceIDs: ArraySlice<Int>, origin: Int, length: Int) {
        guard let offsets else { return }
        var position = origin
        let limit = origin + length
        for id in pieceIDs {
            let next = min(position + core.decoder.bytes(of: id).count, limit)
            offsets.pointee.append(max(position, 0)..<max(next, 0))
            position = next
        }
    }
}
