/// Open-addressing hash table from byte strings to 64-bit values, with its keys in one arena. Used for the
/// vocabulary (bytes → id, built once and then read through `view` by every thread) and for per-session word caches
/// (bytes → ids). Memory is managed by hand so a frozen table can be read through plain pointers.
final class ByteKeyedTable: @unchecked Sendable {
    struct Entry {
        var hash: UInt64
        var offset: Int
        var length: Int
        var value: UInt64
    }

    /// Per slot: the hash's high 32 bits and the entry index + 1 (0 = empty), so most misses never read an entry.
    private var slots: UnsafeMutablePointer<UInt64>
    private var slotCount: Int
    private var shift: UInt64
    private var entries: UnsafeMutablePointer<Entry>
    private var entryCapacity: Int
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    /// Number of keys stored.
    private(set) var count = 0
    /// Bytes of key storage in use.
    private(set) var keyBytes = 0

    init(minimumCapacity: Int = 16) {
        var bits = 4
        while (1 << bits) < minimumCapacity * 2 { bits += 1 }
        slotCount = 1 << bits
        shift = UInt64(64 - bits)
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        entryCapacity = max(16, minimumCapacity)
        entries = .allocate(capacity: entryCapacity)
        arenaCapacity = max(256, minimumCapacity * 8)
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        slots.deallocate()
        entries.deallocate()
        arena.deallocate()
    }

    /// A fast 64-bit hash of `p[0..<n]` (8 bytes per step; not for adversarial keys, only for slot choice).
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = ((h << 5 | h >> 59) ^ w) &* 0x517C_C1B7_2722_0A95
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var s: UInt64 = 0
            while i < n {
                w |= UInt64(p[i]) << s
                s += 8
                i += 1
            }
            h = ((h << 5 | h >> 59) ^ w) &* 0x517C_C1B7_2722_0A95
        }
        return h ^ (h >> 32)
    }

    /// A view for lookups without reference counting; valid while the table is alive and unchanged.
    var view: ByteKeyedTableView {
        ByteKeyedTableView(slots: slots, mask: slotCount - 1, shift: shift, entries: entries, arena: arena)
    }

    /// The value stored for `p[0..<n]` (whose hash is `hash`), or nil.
    @inline(__always)
    func find(_ p: UnsafePointer<UInt8>, _ n: Int, hash: UInt64) -> UInt64? { view.find(p, n, hash: hash) }

    /// Stores `value` for `p[0..<n]`; an existing key keeps its first value (returns false).
    @discardableResult
    func insert(_ p: UnsafePointer<UInt8>, _ n: Int, hash: UInt64, value: UInt64) -> Bool {
        if find(p, n, hash: hash) != nil { return false }
        if (count + 1) * 2 > slotCount { growSlots() }
        if count == entryCapacity {
            let bigger = UnsafeMutablePointer<Entry>.allocate(capacity: entryCapacity * 2)
            bigger.moveInitialize(from: entries, count: count)
            entries.deallocate()
            entries = bigger
            entryCapacity *= 2
        }
        if keyBytes + n > arenaCapacity {
            var capacity = arenaCapacity * 2
            while keyBytes + n > capacity { capacity *= 2 }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            bigger.update(from: arena, count: keyBytes)
            arena.deallocate()
            arena = bigger
            arenaCapacity = capacity
        }
        (arena + keyBytes).update(from: p, count: n)
        (entries + count).initialize(to: Entry(hash: hash, offset: keyBytes, length: n, value: value))
        keyBytes += n
        count += 1
        place(count - 1, hash: hash)
        return true
    }

    /// Forgets every key, keeping the allocated memory.
    func removeAll() {
        count = 0
        keyBytes = 0
        slots.update(repeating: 0, count: slotCount)
    }

    /// Calls `body(key, value)` for every entry in insertion order.
    func forEach(_ body: (UnsafeBufferPointer<UInt8>, UInt64) -> Void) {
        for i in 0..<count {
            let e = entries[i]
            body(UnsafeBufferPointer(start: arena + e.offset, count: e.length), e.value)
        }
    }

    private func place(_ index: Int, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while slots[slot] != 0 { slot = (slot + 1) & (slotCount - 1) }
        slots[slot] = (hash >> 32) << 32 | UInt64(index + 1)
    }

    private func growSlots() {
        slots.deallocate()
        slotCount *= 2
        shift -= 1
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        for i in 0..<count { place(i, hash: entries[i].hash) }
    }
}

/// Lookups in a `ByteKeyedTable` through plain pointers.
struct ByteKeyedTableView {
    let slots: UnsafeMutablePointer<UInt64>
    let mask: Int
    let shift: UInt64
    let entries: UnsafeMutablePointer<ByteKeyedTable.Entry>
    let arena: UnsafeMutablePointer<UInt8>

    /// The value stored for `p[0..<n]` (whose hash is `hash`), or nil.
    @inline(__always)
    func find(_ p: UnsafePointer<UInt8>, _ n: Int, hash: UInt64) -> UInt64? {
        var slot = Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> shift)
        let tag = hash >> 32
        while true {
            let s = slots[slot]
            if s == 0 { return nil }
            if s >> 32 == tag {
                let e = entries[Int(s & 0xFFFF_FFFF) - 1]
                if e.hash == hash, e.length == n, memcmpEqual(arena + e.offset, p, n) { return e.value }
            }
            slot = (slot + 1) & mask
        }
    }
}

@inline(__always)
func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    while i + 8 <= n {
        if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        {
            return false
        }
        i += 8
    }
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
