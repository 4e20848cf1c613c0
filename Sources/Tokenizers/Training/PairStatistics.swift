/// The words being merged, how often each adjacent pair occurs, and where: the state of BPE training.
struct PairStatistics {
    private var words: [[UInt32]]
    private var wordCounts: [Int]
    private var pairCounts: [UInt64: Int] = [:]
    private var wordsWithPair: [UInt64: [Int32]] = [:]
    private var heap = PairHeap()
    /// Per word: the merge number that last visited it, so a word listed twice is handled once per merge.
    private var lastVisit: [Int]
    private var mergeNumber = 0

    init(words: [([UInt32], Int)]) {
        self.words = words.map(\.0)
        wordCounts = words.map(\.1)
        lastVisit = [Int](repeating: -1, count: words.count)
        for (w, word) in self.words.enumerated() where word.count > 1 {
            for i in 0..<(word.count - 1) {
                let key = Self.key(word[i], word[i + 1])
                pairCounts[key, default: 0] += wordCounts[w]
                wordsWithPair[key, default: []].append(Int32(w))
            }
        }
        for (key, count) in pairCounts { heap.push(count: count, key: key) }
    }

    static func key(_ a: UInt32, _ b: UInt32) -> UInt64 { UInt64(a) << 32 | UInt64(b) }

    /// The most frequent pair and its count (stale heap entries are refreshed on the way), or nil when none is left.
    mutating func popBest() -> ((UInt32, UInt32), Int)? {
        while let (count, key) = heap.pop() {
            let current = pairCounts[key] ?? 0
            if current == count, count > 0 { return ((UInt32(key >> 32), UInt32(key & 0xFFFF_FFFF)), count) }
            if current > 0, current != count { heap.push(count: current, key: key) }
        }
        return nil
    }

    /// Replaces every occurrence of `pair` (left to right, not overlapping) by `merged`, updating the counts.
    mutating func merge(_ pair: (UInt32, UInt32), into merged: UInt32) {
        mergeNumber += 1
        let key = Self.key(pair.0, pair.1)
        var changed: [UInt64: Int] = [:]
        for w32 in wordsWithPair.removeValue(forKey: key) ?? [] {
            let w = Int(w32)
            guard lastVisit[w] != mergeNumber else { continue }
            lastVisit[w] = mergeNumber
            let old = words[w]
            guard old.count > 1 else { continue }
            var new: [UInt32] = []
            new.reserveCapacity(old.count)
            var i = 0
            var found = false
            while i < old.count {
                if i + 1 < old.count, old[i] == pair.0, old[i + 1] == pair.1 {
                    new.append(merged)
                    i += 2
                    found = true
                } else {
                    new.append(old[i])
                    i += 1
                }
            }
            guard found else { continue }
            let n = wordCounts[w]
            for j in 0..<(old.count - 1) { changed[Self.key(old[j], old[j + 1]), default: 0] -= n }
            for j in 0..<max(new.count - 1, 0) {
                let k = Self.key(new[j], new[j + 1])
                changed[k, default: 0] += n
                if new[j] == merged || new[j + 1] == merged { wordsWithPair[k, default: []].append(w32) }
            }
            words[w] = new
        }
        for (k, delta) in changed where delta != 0 {
            let count = (pairCounts[k] ?? 0) + delta
            if count > 0 {
                pairCounts[k] = count
                if delta > 0 { heap.push(count: count, key: k) }
            } else {
                pairCounts[k] = nil
            }
        }
    }
}

/// Max-heap of (count, pair): highest count first, then the smaller pair (left id, then right id).
struct PairHeap {
    private var items: [(count: Int, key: UInt64)] = []

    private static func before(_ a: (count: Int, key: UInt64), _ b: (count: Int, key: UInt64)) -> Bool {
        a.count != b.count ? a.count > b.count : a.key < b.key
    }

    mutating func push(count: Int, key: UInt64) {
        items.append((count, key))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.before(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (Int, UInt64)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var best = i
                if l < items.count, Self.before(items[l], items[best]) { best = l }
                if r < items.count, Self.before(items[r], items[best]) { best = r }
                if best == i { break }
                items.swapAt(i, best)
                i = best
            }
        }
        return (top.count, top.key)
    }
}
