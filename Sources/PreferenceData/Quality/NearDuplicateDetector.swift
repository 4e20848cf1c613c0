import Parallelism

/// Finds texts that nearly duplicate an earlier text: Jaccard similarity of their character shingles at or above a
/// threshold.
///
/// Comparing every pair is quadratic (220k prompts is 24 billion pairs), so candidates come from MinHash
/// locality-sensitive hashing: 16 bands of 4 MinHash values; two texts become candidates when one band matches, which
/// happens with probability 1 − (1 − s⁴)¹⁶ for similarity s (> 99.9% at s = 0.8, 12% at s = 0.3). A candidate whose
/// 64 MinHash values estimate a similarity far below the threshold (by more than 0.2, four standard deviations at
/// s = 0.8) is passed over; the rest are checked with the exact Jaccard similarity, so nothing below the threshold is
/// ever flagged. Templated texts ("Translate to French: …") share buckets by the thousand, so each bucket offers at
/// most `candidatesPerBucket` of its most recent members.
package struct NearDuplicateDetector: Sendable {
    /// Jaccard similarity at or above which a text is a near-duplicate.
    package var threshold: Double
    /// Characters per shingle.
    package var shingleLength: Int
    /// Most earlier texts of one LSH bucket considered per text, the most recent first.
    package var candidatesPerBucket = 64

    private static let bands = 16
    private static let rowsPerBand = 4
    private static let hashCount = bands * rowsPerBand
    private static let estimateMargin = 0.2
    /// Shingle hashes kept in memory for re-verification (8 bytes each: 128 MB).
    private static let shingleCacheBudget = 16 << 20

    /// Creates a detector.
    package init(threshold: Double, shingleLength: Int) {
        self.threshold = threshold
        self.shingleLength = max(1, shingleLength)
    }

    /// For each text in order: the index of an earlier text it nearly duplicates, or nil. A text flagged as a
    /// near-duplicate is not itself a reference for later texts, so chains resolve to the first of a group.
    package func earlierNearDuplicates(of texts: [String]) -> [Int?] {
        let signatures = self.signatures(texts)
        let minimumMatches = Int(((threshold - Self.estimateMargin) * Double(Self.hashCount)).rounded(.down))
        var buckets: [UInt64: [Int]] = [:]
        var result = [Int?](repeating: nil, count: texts.count)
        var lastChecked = [Int](repeating: -1, count: texts.count)
        // Shingles of texts already verified against, kept while they fit the budget (templated texts are verified
        // again and again); past it they are recomputed.
        var shingleCache = [[UInt64]?](repeating: nil, count: texts.count)
        var cachedShingles = 0
        func shingles(of text: Int) -> [UInt64] {
            if let cached = shingleCache[text] { return cached }
            let computed = self.shingles(texts[text])
            if cachedShingles + computed.count <= Self.shingleCacheBudget {
                shingleCache[text] = computed
                cachedShingles += computed.count
            }
            return computed
        }
        for index in texts.indices {
            let signature = signatures[(index * Self.hashCount)..<((index + 1) * Self.hashCount)]
            let keys = Self.bandKeys(signature)
            search: for key in keys {
                guard let members = buckets[key] else { continue }
                for candidate in members.reversed().prefix(candidatesPerBucket) where lastChecked[candidate] != index {
                    lastChecked[candidate] = index
                    var matches = 0
                    let base = candidate * Self.hashCount
                    for slot in 0..<Self.hashCount
                    where signatures[base + slot] == signature[signature.startIndex + slot] {
                        matches += 1
                    }
                    guard matches >= minimumMatches else { continue }
                    if Self.jaccard(shingles(of: index), shingles(of: candidate)) >= threshold {
                        result[index] = candidate
                        break search
                    }
                }
            }
            if result[index] == nil {
                for key in keys { buckets[key, default: []].append(index) }
            }
        }
        return result
    }

    /// The sorted, distinct shingle hashes of `text`.
    func shingles(_ text: String) -> [UInt64] {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > shingleLength else { return [StableHash.of(text)] }
        var hashes: [UInt64] = []
        hashes.reserveCapacity(scalars.count - shingleLength + 1)
        for start in 0...(scalars.count - shingleLength) {
            var hash: UInt64 = 0x243F_6A88_85A3_08D3
            for scalar in scalars[start..<(start + shingleLength)] {
                hash = StableHash.mix(hash ^ UInt64(scalar.value))
            }
            hashes.append(hash)
        }
        hashes.sort()
        var distinct: [UInt64] = []
        distinct.reserveCapacity(hashes.count)
        for hash in hashes where distinct.last != hash { distinct.append(hash) }
        return distinct
    }

    /// |A ∩ B| / |A ∪ B| of two sorted, distinct arrays.
    static func jaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
        var i = 0, j = 0, shared = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                shared += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        let union = a.count + b.count - shared
        return union == 0 ? 1 : Double(shared) / Double(union)
    }

    /// The MinHash signatures of all texts, `hashCount` values each, one after another (computed in parallel).
    private func signatures(_ texts: [String]) -> [UInt32] {
        // One well-mixed hash per shingle, then a cheap permutation per slot: x ↦ (x ⊕ s) · m with m odd is a
        // bijection of 64-bit values, so each slot's minimum is a MinHash value.
        let salts = (0..<Self.hashCount).map { StableHash.mix(UInt64($0) &+ 0x1234_5678) }
        let multipliers = (0..<Self.hashCount).map { StableHash.mix(UInt64($0) &+ 0x8765_4321) | 1 }
        return Parallel.map(count: texts.count) { range in
            var values: [UInt32] = []
            values.reserveCapacity(range.count * Self.hashCount)
            var minimums = [UInt64](repeating: .max, count: Self.hashCount)
            for index in range {
                for slot in 0..<Self.hashCount { minimums[slot] = .max }
                for shingle in shingles(texts[index]) {
                    for slot in 0..<Self.hashCount {
                        let value = (shingle ^ salts[slot]) &* multipliers[slot]
                        if value < minimums[slot] { minimums[slot] = value }
                    }
                }
                // 32 bits per value are plenty to tell values apart and halve the memory.
                values.append(contentsOf: minimums.map { UInt32(truncatingIfNeeded: $0 >> 32) })
            }
            return values
        }.flatMap { $0 }
    }

    /// The LSH bucket keys of a signature (the band number is mixed in, so equal rows in different bands differ).
    private static func bandKeys(_ signature: ArraySlice<UInt32>) -> [UInt64] {
        (0..<bands).map { band in
            var key = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
            for row in 0..<rowsPerBand {
                key = StableHash.combine(key, UInt64(signature[signature.startIndex + band * rowsPerBand + row]))
            }
            return key
        }
    }
}
