import Parallelism

/// A frozen weight matrix stored as bfloat16, row-major [rows, columns]: half the memory of Float32.
///
/// Frozen weights (a LoRA base, the PPO reference, the reward model) and decoding need no Float32 master copy. The
/// products that read this matrix (`linear(_:weight:bias:)`, `matmul(_:_:bias:)`, `embedding(_:_:)`,
/// `PackedMatrix(_:transposed:bias:)`) widen it to Float32 inside their kernels and accumulate in Float32; it never
/// receives a gradient. Immutable once made.
public final class BFloat16Matrix: @unchecked Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns (the length of a row).
    public let columns: Int
    let storage: BFloat16Storage

    /// [rows, columns].
    public var shape: [Int] { [rows, columns] }
    /// Number of values.
    public var count: Int { rows * columns }
    /// Bytes the values occupy (2 per value).
    public var byteCount: Int { count * 2 }

    /// The nearest bfloat16 matrix to a rank-2 Float32 `tensor`: round to nearest, ties to even; NaN stays NaN,
    /// values beyond bfloat16's range become ±∞ (its range is Float32's, so only the last half-ulp overflows).
    public init(_ tensor: Tensor) {
        if tensor.rank != 2 { engineFailure("BFloat16Matrix", "tensor must be 2-D, got \(tensor.shape)") }
        rows = tensor.shape[0]; columns = tensor.shape[1]
        storage = BFloat16Storage(count: rows * columns)
        let src = UnsafePointer(tensor.data), dst = storage.pointer
        Parallel.forRanges(rows * columns, grain: 1 << 16) { r in
            BFloat16.narrow(src + r.lowerBound, dst + r.lowerBound, count: r.count)
        }
    }

    /// A matrix of raw bfloat16 bit patterns in row-major order (for example a BF16 tensor of a safetensors file).
    public convenience init(rows: Int, columns: Int, bits: [UInt16]) {
        self.init(rows: rows, columns: columns, valueCount: bits.count)
        bits.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { storage.pointer.update(from: base, count: src.count) }
        }
    }

    /// A matrix copied from raw bfloat16 bit patterns in row-major order (a memory-mapped file, say).
    public convenience init(rows: Int, columns: Int, bits: UnsafeBufferPointer<UInt16>) {
        self.init(rows: rows, columns: columns, valueCount: bits.count)
        if let base = bits.baseAddress { storage.pointer.update(from: base, count: bits.count) }
    }

    /// Uninitialised values for a shape that must hold `valueCount` of them; the caller writes all of them.
    private init(rows: Int, columns: Int, valueCount: Int) {
        if rows < 0 || columns < 0 || rows * columns != valueCount {
            engineFailure("BFloat16Matrix", "shape [\(rows), \(columns)] does not hold \(valueCount) values")
        }
        self.rows = rows; self.columns = columns
        storage = BFloat16Storage(count: valueCount)
    }

    /// The values as a Float32 tensor [rows, columns] (exact: every bfloat16 is a Float32).
    public func toTensor() -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let src = UnsafePointer(storage.pointer), dst = out.data
        Parallel.forRanges(count, grain: 1 << 16) { r in
            BFloat16.widen(src + r.lowerBound, dst + r.lowerBound, count: r.count)
        }
        return out
    }

    /// The raw bit patterns in row-major order, for saving. Valid only while this matrix is alive; prefer
    /// `withUnsafeBits` when the matrix is a temporary.
    public var bits: UnsafeBufferPointer<UInt16> { UnsafeBufferPointer(start: storage.pointer, count: count) }

    /// Reads the raw bit patterns in row-major order without copying.
    public func withUnsafeBits<R>(_ body: (UnsafeBufferPointer<UInt16>) throws -> R) rethrows -> R {
        try withExtendedLifetime(self) { try body(bits) }
    }

    /// Pointer to the first value.
    @inline(__always) var pointer: UnsafePointer<UInt16> { UnsafePointer(storage.pointer) }
}
