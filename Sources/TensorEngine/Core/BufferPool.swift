import Synchronization

/// A process-wide cache of freed Float32 buffers, keyed by size class.
///
/// Training loops allocate the same shapes every step; handing those buffers back instead of returning them to
/// malloc keeps peak memory flat and avoids the page faults glibc's mmap/munmap of large blocks would cause. Sizes
/// are rounded up to a class (`sizeClass`): batches of other lengths ask for slightly different sizes every step, and
/// cached by exact size each would be a buffer kept apart until the cache was full (2 GB of a 1M-parameter model's
/// SFT).
final class BufferPool: Sendable {
    static let shared = BufferPool(limitBytes: 2 << 30)

    private struct State: ~Copyable {
        var free: [Int: [UInt]] = [:]  // addresses: pointers are not Sendable
        var pooledBytes = 0
    }

    private let state = Mutex(State())
    private let limitBytes: Int

    init(limitBytes: Int) { self.limitBytes = limitBytes }

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
            let reused: UInt? = state.withLock { s in
                guard var list = s.free[capacity], let p = list.popLast() else { return nil }
                s.free[capacity] = list.isEmpty ? nil : list
                s.pooledBytes -= capacity * 4
                return p
            }
            if let reused { return UnsafeMutablePointer<Float>(bitPattern: reused)! }
        }
        let raw = LargeAllocation.allocate(byteCount: capacity * 4)
        return raw.bindMemory(to: Float.self, capacity: capacity)
    }

    func release(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        let capacity = Self.sizeClass(count)
        if capacity >= Self.minimumPooledCount {
            let address = UInt(bitPattern: pointer)
            let kept: Bool = state.withLock { s in
                guard s.pooledBytes + capacity * 4 <= limitBytes else { return false }
                s.free[capacity, default: []].append(address)
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
            let ptrs = s.free.values.flatMap { $0 }
            s.free = [:]
            s.pooledBytes = 0
            return ptrs
        }
        for p in all { UnsafeMutableRawPointer(bitPattern: p)!.deallocate() }
    }

    var cachedBytes: Int { state.withLock { $0.pooledBytes } }
}

/// The memory behind one or more tensors (a reshape shares it), or a window onto another storage's memory.
public final class TensorStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int
    /// The storage whose memory a window uses (kept alive by it); nil when this storage owns its memory.
    private let base: TensorStorage?

    init(count: Int) {
        self.count = count
        self.pointer = BufferPool.shared.acquire(count: count)
        self.base = nil
    }

    /// `count` elements of `base` from `offset` on.
    init(window base: TensorStorage, offset: Int, count: Int) {
        precondition(offset >= 0 && offset + count <= base.count, "window \(offset)+\(count) of \(base.count)")
        self.count = count
        self.pointer = base.pointer + offset
        self.base = base
    }

    deinit { if base == nil { BufferPool.shared.release(pointer, count: count) } }
}

/// Memory held by the engine's buffer cache.
public enum EngineMemory {
    /// Bytes of freed buffers kept for reuse.
    public static var cachedBytes: Int { BufferPool.shared.cachedBytes }
    /// Frees every cached buffer.
    public static func trimCache() { BufferPool.shared.trim() }
}
