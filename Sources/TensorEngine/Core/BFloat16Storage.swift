/// The memory behind a bfloat16 matrix or bfloat16 decoding panels: 64-byte aligned (one cache line, one AVX-512
/// register), freed with its owner. Not pooled like `TensorStorage`: these are long-lived frozen weights.
final class BFloat16Storage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<UInt16>
    let count: Int

    /// Uninitialised memory for `count` values; every creator writes all of it.
    init(count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 2, alignment: 64)
        pointer = raw.bindMemory(to: UInt16.self, capacity: max(count, 1))
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}
