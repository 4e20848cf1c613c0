/// The memory behind one or more tensors (a reshape shares it), or a window onto another storage's memory.
///
/// A storage that owns its memory can drop its values until they are needed again (`dropValues(recomputedBy:)`): a
/// taped forward pass keeps activations that are cheap to compute again, such as a norm's output, only as the recipe
/// to compute them, and the backward pass rebuilds them (`restoreValues()`) before the op that reads them. Neither is
/// thread-safe: a graph is built and walked by one thread at a time.
public final class TensorStorage: @unchecked Sendable {
    /// The first element. While the values are dropped, an address outside the address space, so that a read that
    /// did not restore them first faults instead of reading freed memory.
    public private(set) var pointer: UnsafeMutablePointer<Float>
    public let count: Int
    /// The storage whose memory a window uses (kept alive by it); nil when this storage owns its memory.
    private let base: TensorStorage?
    /// While the values are dropped, what recomputes them.
    private var recipe: (() -> Tensor)?
    /// Whether a window was taken onto this memory (its pointer would outlive a drop).
    private var hasWindows = false

    /// A non-canonical x86-64 (and AArch64 user-space) address: any element read through it faults.
    private static var nowhere: UnsafeMutablePointer<Float> {
        UnsafeMutablePointer(bitPattern: UInt(0xdead_0000_0000_0000))!
    }

    init(count: Int) {
        self.count = count
        self.pointer = BufferPool.shared.acquire(count: count)
        self.base = nil
    }

    /// `count` elements of `base` from `offset` on.
    init(window base: TensorStorage, offset: Int, count: Int) {
        precondition(offset >= 0 && offset + count <= base.count, "window \(offset)+\(count) of \(base.count)")
        base.restoreValues()
        self.count = count
        self.pointer = base.pointer + offset
        self.base = base
        base.hasWindows = true
    }

    deinit { if base == nil && recipe == nil { BufferPool.shared.release(pointer, count: count) } }

    /// Whether the values are dropped until `restoreValues()`.
    public var valuesAreDropped: Bool { recipe != nil }

    /// Frees the memory until `restoreValues()`, which fills new memory with `recompute()`'s values, computed without a
    /// tape. `recompute` must give these very values (the same op on the same inputs: kernels are deterministic). A
    /// window, a storage with windows or one already dropped keeps its values; returns whether they were dropped.
    @discardableResult
    func dropValues(recomputedBy recompute: @escaping () -> Tensor) -> Bool {
        guard base == nil, !hasWindows, recipe == nil else { return false }
        BufferPool.shared.release(pointer, count: count)
        pointer = Self.nowhere
        recipe = recompute
        return true
    }

    /// Recomputes dropped values (nothing when they are not dropped).
    public func restoreValues() {
        guard let recompute = recipe else { return }
        recipe = nil
        var fresh: Tensor? = withNoGrad(recompute)
        if fresh!.count != count {
            engineFailure("recompute", "\(fresh!.count) values recomputed for a storage of \(count)")
        }
        var storage = fresh!.storage
        fresh = nil
        if isKnownUniquelyReferenced(&storage), storage.base == nil, storage.count == count, storage.recipe == nil {
            // Take the fresh memory over. Its storage dies with this scope and must not hand the memory back: a
            // recipe marks a storage without memory of its own.
            pointer = storage.pointer
            storage.pointer = Self.nowhere
            storage.recipe = { engineFailure("recompute", "a storage whose memory was taken over was read") }
        } else {
            pointer = BufferPool.shared.acquire(count: count)
            pointer.update(from: storage.pointer, count: count)
        }
    }
}
