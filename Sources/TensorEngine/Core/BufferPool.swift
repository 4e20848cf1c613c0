import Synchronization

/// A process-wide cache of freed Float32 buffers, keyed by size class.
///
/// Training loops allocate the same shapes every step; handing those buffers back instead of returning them to
/// malloc keeps peak memory flat and avoids the page faults (and the zeroing of fresh pages) that glibc's mmap/munmap
/// of large blocks would cause. Sizes are rounded up to a class (`sizeClass`): batches of other lengths ask for
/// slightly different sizes every step, and cached by exact size each would be a buffer kept apart.
///
/// What the cache may hold follows the buffers in use: a request it cannot serve that would take the buffers in use
/// plus the cache more than a slack past the most ever in use at once first hands back cached buffers, the
/// longest-cached first. Between the phases of an iteration (generation, scoring, training) the cache then keeps
/// what the next phase will ask for, however large the model, while the peak stays within the slack of the most the
/// program needs at once. (A fixed 2 GB limit made a SmolLM2 PPO iteration refault its activations every time.)
///
/// The shared cache's slack is an eighth of the most in use, and at least 256 MB: with a fixed 1 GB, a LoRA PPO
/// iteration whose tensors peak at 2.6 GB kept a GB of idle buffers (its peak RSS 4.35 GB, 3.63 GB with 256 MB and
/// as few page faults per iteration), while a full fine-tuning iteration (7.2 GB of tensors) faulted half as much
/// again with 256 MB as with 1 GB.
final class BufferPool: Sendable {
    static let shared = BufferPool(limitBytes: .max, slackBytes: 256 << 20, slackFraction: 1.0 / 8)

    private struct State: ~Copyable {
        /// Per class, the cached buffers' addresses (pointers are not Sendable) in the order they were released,
        /// each with its release stamp.
        var free: [Int: [(address: UInt, stamp: UInt64)]] = [:]
        var pooledBytes = 0
        /// Bytes of the pooled size classes handed out and not yet released, and the most there have been.
        var liveBytes = 0
        var mostLive = 0
        var clock: UInt64 = 0

        /// Removes the longest-cached buffers until `bytes` are freed or none is left; returns their addresses.
        mutating func evict(_ bytes: Int) -> [UInt] {
            var evicted: [UInt] = [], freed = 0
            while freed < bytes, pooledBytes > 0 {
                guard let oldest = free.min(by: { $0.value[0].stamp < $1.value[0].stamp })?.key else { break }
                let entry = free[oldest]!.removeFirst()
                if free[oldest]!.isEmpty { free[oldest] = nil }
                evicted.append(entry.address)
                freed += oldest * 4
                pooledBytes -= oldest * 4
            }
            return evicted
        }
    }

    private let state = Mutex(State())
    private let limitBytes: Int
    private let slackBytes: Int
    private let slackFraction: Double

    /// A cache that never holds more than `limitBytes` (a released buffer that would pass it goes back to malloc), nor
    /// lets the cache plus the buffers in use pass the most ever in use by more than `slackBytes` or `slackFraction`
    /// of that most, whichever is larger.
    init(limitBytes: Int, slackBytes: Int = .max, slackFraction: Double = 0) {
        self.limitBytes = limitBytes
        self.slackBytes = slackBytes
        self.slackFraction = slackFraction
    }

    /// How far past the most ever in use the buffers in use plus the cache may go.
    private func slack(mostLive: Int) -> Int { max(slackBytes, Int(Double(mostLive) * slackFraction)) }

    /// Buffers smaller than this are left to malloc, which is fast for them.
    private static let minimumPooledCount = 1024

    /// The elements a buffer of `count` is allocated with: from `minimumPooledCount` on, rounded up to one of eight
    /// steps per power of two (at most 1/8 more), so nearby sizes share buffers.
    static func sizeClass(_ count: Int) -> Int {
        guard count > minimumPooledCount else { return max(count, 1) }
        let step = 1 << (Int.bitWidth - 1 - count.leadingZeroBitCount - 3)
        return (count + step - 1) / step * step
    }

    func acquire(count: Int) -> UnsafeMutablePointer<Float> {
        let capacity = Self.sizeClass(count)
        if capacity >= Self.minimumPooledCount {
            let (reused, evicted): (UInt?, [UInt]) = state.withLock { s in
                let bytes = capacity * 4
                s.liveBytes += bytes
                s.mostLive = max(s.mostLive, s.liveBytes)
                guard var list = s.free[capacity], let p = list.popLast() else {
                    let slack = slack(mostLive: s.mostLive)
                    let allowed = s.mostLive > Int.max - slack ? Int.max : s.mostLive + slack
                    return (nil, s.evict(s.liveBytes + s.pooledBytes - allowed))
                }
                s.free[capacity] = list.isEmpty ? nil : list
                s.pooledBytes -= bytes
                return (p.address, [])
            }
            if let reused { return UnsafeMutablePointer<Float>(bitPattern: reused)! }
            for address in evicted { UnsafeMutableRawPointer(bitPattern: address)!.deallocate() }
        }
        let raw = LargeAllocation.allocate(byteCount: capacity * 4)
        return raw.bindMemory(to: Float.self, capacity: capacity)
    }

    func release(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        let capacity = Self.sizeClass(count)
        if capacity >= Self.minimumPooledCount {
            let address = UInt(bitPattern: pointer)
            let kept: Bool = state.withLock { s in
                s.liveBytes -= capacity * 4
                guard s.pooledBytes + capacity * 4 <= limitBytes else { return false }
                s.clock += 1
                s.free[capacity, default: []].append((address, s.clock))
                s.pooledBytes += capacity * 4
                return true
            }
            if kept { return }
        }
        UnsafeMutableRawPointer(pointer).deallocate()
    }

    /// Returns every cached buffer to the system (e.g. between phases that use different shapes).
    func trim() {
        let all: [UInt] = state.withLock { s in
            let ptrs = s.free.values.flatMap { $0.map(\.address) }
            s.free = [:]
            s.pooledBytes = 0
            return ptrs
        }
        for p in all { UnsafeMutableRawPointer(bitPattern: p)!.deallocate() }
    }

    var cachedBytes: Int { state.withLock { $0.pooledBytes } }
    var liveBytes: Int { state.withLock { $0.liveBytes } }
    var mostLiveBytes: Int { state.withLock { $0.mostLive } }
}

/// Memory held by the engine's buffer cache.
public enum EngineMemory {
    /// Bytes of freed buffers kept for reuse.
    public static var cachedBytes: Int { BufferPool.shared.cachedBytes }
    /// Bytes of pooled buffers in use now.
    public static var liveBytes: Int { BufferPool.shared.liveBytes }
    /// The most bytes of pooled buffers there have been in use at once (the tensors' high water).
    public static var mostLiveBytes: Int { BufferPool.shared.mostLiveBytes }
    /// Frees every cached buffer.
    public static func trimCache() { BufferPool.shared.trim() }
}
