/// Reusable buffers for merging one word.
struct BPEScratch {
    var symbols: [UInt32] = []
    var ranks: [UInt64] = []
    var heap: [UInt64] = []
    var next: [Int32] = []
    var previous: [Int32] = []
}

/// Applies ranked merges to a word's symbols: always the lowest-ranked adjacent pair first, leftmost among equals —
/// the order HF's BPE uses, so the result is identical.
enum BPEMerger {
    /// Words up to this many symbols use the quadratic in-place merge; longer ones a heap.
    static let shortWordLimit = 96

    /// In-place merge for short words: keeps the rank of each adjacent pair, merges the minimum, updates neighbours.
    static func mergeShort(_ scratch: inout BPEScratch, merges: PairTableView) {
        var n = scratch.symbols.count
        guard n >= 2 else { return }
        scratch.ranks.removeAll(keepingCapacity: true)
        scratch.ranks.reserveCapacity(n)
        scratch.symbols.withUnsafeMutableBufferPointer { symbols in
            for i in 0..<(n - 1) { scratch.ranks.append(merges.lookup(symbols[i], symbols[i + 1])) }
            scratch.ranks.withUnsafeMutableBufferPointer { ranks in
                while n > 1 {
                    var best = UInt64.max
                    var at = -1
                    for i in 0..<(n - 1) where ranks[i] < best {
                        best = ranks[i]
                        at = i
                    }
                    if at < 0 { break }
                    symbols[at] = UInt32(truncatingIfNeeded: best)
                    if at + 2 < n {
                        for k in (at + 1)..<(n - 1) { symbols[k] = symbols[k + 1] }
                        for k in at..<(n - 2) { ranks[k] = ranks[k + 1] }
                    }
                    n -= 1
                    if at > 0 { ranks[at - 1] = merges.lookup(symbols[at - 1], symbols[at]) }
                    if at < n - 1 { ranks[at] = merges.lookup(symbols[at], symbols[at + 1]) }
                }
            }
        }
        scratch.symbols.removeLast(scratch.symbols.count - n)
    }

    /// Merge for long words: a linked list of symbols and a min-heap of (rank, position); stale heap entries are
    /// skipped when popped, as in HF's `Word::merge_all`.
    static func mergeLong(_ scratch: inout BPEScratch, merges: PairTableView) {
        let n = scratch.symbols.count
        scratch.next = (0..<n).map { Int32($0 + 1) }
        scratch.next[n - 1] = -1
        scratch.previous = (0..<n).map { Int32($0 - 1) }
        scratch.heap.removeAll(keepingCapacity: true)
        var alive = [Bool](repeating: true, count: n)
        for i in 0..<(n - 1) {
            let r = merges.lookup(scratch.symbols[i], scratch.symbols[i + 1])
            if r != UInt64.max { heapPush(&scratch.heap, (r >> 32) << 32 | UInt64(i)) }
        }
        while let top = heapPop(&scratch.heap) {
            let rank = top >> 32
            let pos = Int(top & 0xFFFF_FFFF)
            guard alive[pos] else { continue }
            let right = Int(scratch.next[pos])
            guard right >= 0 else { continue }
            let current = merges.lookup(scratch.symbols[pos], scratch.symbols[right])
            guard current != UInt64.max, current >> 32 == rank else { continue }
            scratch.symbols[pos] = UInt32(truncatingIfNeeded: current)
            alive[right] = false
            let after = scratch.next[right]
            scratch.next[pos] = after
            if after >= 0 { scratch.previous[Int(after)] = Int32(pos) }
            let before = Int(scratch.previous[pos])
            if before >= 0 {
                let r = merges.lookup(scratch.symbols[before], scratch.symbols[pos])
                if r != UInt64.max { heapPush(&scratch.heap, (r >> 32) << 32 | UInt64(before)) }
            }
            if after >= 0 {
                let r = merges.lookup(scratch.symbols[pos], scratch.symbols[Int(after)])
                if r != UInt64.max { heapPush(&scratch.heap, (r >> 32) << 32 | UInt64(pos)) }
            }
        }
        var write = 0
        for i in 0..<n where alive[i] {
            scratch.symbols[write] = scratch.symbols[i]
            write += 1
        }
        scratch.symbols.removeLast(n - write)
    }

    private static func heapPush(_ heap: inout [UInt64], _ value: UInt64) {
        heap.append(value)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if heap[parent] <= heap[i] { break }
            heap.swapAt(parent, i)
            i = parent
        }
    }

    private static func heapPop(_ heap: inout [UInt64]) -> UInt64? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if heap.isEmpty { return first }
        heap[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < heap.count, heap[l] < heap[smallest] { smallest = l }
            if r < heap.count, heap[r] < heap[smallest] { smallest = r }
            if smallest == i { break }
            heap.swapAt(i, smallest)
            i = smallest
        }
        return first
    }
}
