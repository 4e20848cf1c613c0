import Parallelism

/// One parameter's part of an optimizer step, placed in the concatenation of every parameter being updated.
///
/// Placing the parameters end to end lets a step split its work by element count rather than by parameter: a model
/// has a few large weight matrices and many tiny biases, and one dispatch over the whole span keeps every core busy
/// without paying a dispatch per parameter.
protocol ParameterSegment {
    /// Where this parameter starts in the concatenation.
    var offset: Int { get }
    /// Its number of elements (never zero: empty parameters get no segment).
    var count: Int { get }
}

/// Spreads an elementwise optimizer update over the cores.
enum ParameterSegments {
    /// Elements per thread below which splitting costs more than it saves (an AdamW element moves ~20 bytes).
    static let grain = 1 << 14

    /// Calls `body(segment, localRange)` for every piece of `segments` (ordered by `offset`, covering `0..<total`),
    /// concurrently when there is enough work. The pieces are disjoint, so `body` may write through the segment's
    /// pointers without synchronisation. Elementwise kernels give the same bits however the span is split.
    @inline(__always)
    static func forEach<S: ParameterSegment>(_ segments: [S], total: Int, _ body: (S, Range<Int>) -> Void) {
        if segments.isEmpty { return }
        Parallel.forRanges(total, grain: grain) { range in
            // The last segment starting at or before the range: binary search, since there may be many segments.
            var lo = 0, hi = segments.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if segments[mid].offset <= range.lowerBound { lo = mid } else { hi = mid - 1 }
            }
            var s = lo
            while s < segments.count, segments[s].offset < range.upperBound {
                let seg = segments[s]
                let a = max(range.lowerBound, seg.offset) - seg.offset
                let b = min(range.upperBound, seg.offset + seg.count) - seg.offset
                if a < b { body(seg, a..<b) }
                s += 1
            }
        }
    }
}
