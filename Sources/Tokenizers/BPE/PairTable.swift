/// Open-addressing hash table from a pair of token ids to a merge (rank and merged id). Built once, then read
/// concurrently through `view`. Keys and values are interleaved so a lookup usually touches one cache line.
final class PairTable: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<UInt64>  // key, value, key, value, …
    private let shift: UInt64
    private let mask: Int
    /// Number of pairs stored.
    let count: Int

    /// `merges[i]` = (left, right, merged); its rank is `i`. A pair listed twice keeps its last rank, as HF does.
    init(merges: [(left: UInt32, right: UInt32, merged: UInt32)]) {
        var bits = 4
        while (1 << bits) < merges.count * 2 { bits += 1 }
        let capacity = 1 << bits
        slots = .allocate(capacity: 2 * capacity)
        slots.initialize(repeating: UInt64.max, count: 2 * capacity)
        shift = UInt64(64 - bits)
        mask = capacity - 1
        var stored = 0
        for (rank, merge) in merges.enumerated() {
            let key = UInt64(merge.left) << 32 | UInt64(merge.right)
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while slots[2 * slot] != UInt64.max && slots[2 * slot] != key { slot = (slot + 1) & mask }
            if slots[2 * slot] == UInt64.max { stored += 1 }
            slots[2 * slot] = key
            slots[2 * slot + 1] = UInt64(rank) << 32 | UInt64(merge.merged)
        }
        count = stored
    }

    deinit { slots.deallocate() }

    /// `(rank << 32) | merged` for the pair, or `UInt64.max` if the pair never merges.
    @inline(__always)
    func lookup(_ left: UInt32, _ right: UInt32) -> UInt64 { view.lookup(left, right) }

    /// A reference-count-free view for hot loops; valid while this table is alive.
    var view: PairTableView { PairTableView(slots: slots, shift: shift, mask: mask) }
}

/// Lookups in a `PairTable` through a plain pointer, so encoding threads never contend on the table's reference count.
struct PairTableView {
    let slots: UnsafeMutablePointer<UInt64>
    let shift: UInt64
    let mask: Int

    /// `(rank << 32) | merged` for the pair, or `UInt64.max` if the pair never merges.
    @inline(__always)
    func lookup(_ left: UInt32, _ right: UInt32) -> UInt64 {
        let key = UInt64(left) << 32 | UInt64(right)
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let k = slots[2 * slot]
            if k == key { return slots[2 * slot + 1] }
            if k == UInt64.max { return UInt64.max }
            slot = (slot + 1) & mask
        }
    }
}
