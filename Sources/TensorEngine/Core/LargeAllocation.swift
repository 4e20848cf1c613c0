#if canImport(Glibc)
import Glibc
#endif

/// Memory for the engine's large buffers (activations, gradients, bfloat16 weights): blocks of 4 MB and more are
/// aligned to 2 MB and, on Linux, marked for transparent huge pages (`MADV_HUGEPAGE`, which kernels set to `madvise`
/// honour). A fresh block is then faulted in 2 MB at a time instead of 4 KB — a forward and backward pass of a real
/// model touches gigabytes of new buffers, and with small pages the faults alone took a tenth of a training step —
/// and products that stream the block miss the TLB less. Smaller blocks are 64-byte aligned (one cache line, one
/// AVX-512 register). Free with `deallocate()`.
enum LargeAllocation {
    /// Blocks from this size on get huge pages.
    static let hugePageThreshold = 4 << 20
    static let hugePageSize = 2 << 20

    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        guard byteCount >= hugePageThreshold else {
            return UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
        }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: hugePageSize)
        #if os(Linux)
        // Advice only: where the kernel has no huge pages to give, the block keeps small ones.
        _ = madvise(raw, (byteCount + hugePageSize - 1) / hugePageSize * hugePageSize, MADV_HUGEPAGE)
        #endif
        return raw
    }
}
