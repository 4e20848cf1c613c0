/// The memory behind a bfloat16 matrix or bfloat16 decoding panels (`LargeAllocation`), freed with its owner. Not pooled like `TensorStorage`: these are long-lived frozen weights.
final class BFloat16Storage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<UInt16>
    let count: Int

    /// Uninitialised memory for `count` values; every creator writes all of it.
    init(count: Int) {
        self.count = count
        let raw = LargeAllocation.allocate(byteCount: count * 2)
        pointer = raw.bindMemory(to: UInt16.self, capacity: max(count, 1))
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}
