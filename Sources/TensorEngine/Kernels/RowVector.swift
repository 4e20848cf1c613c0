// The vector the row kernels work in: element-wise ops, norms, softmax, attention, losses, the optimizers' updates and
// the decoding products (SkinnyGEMM, BFloat16SkinnyGEMM, PackedMatrix).
//
// Its width follows what the build targets. Package.swift defines `RLHF_ROW_VECTOR_16` when a release build targets
// AVX-512, where 16 floats fill one register. Every other target gets 8: one AVX2 register, two NEON or SSE ones. A
// 16-wide vector on AVX2 is a pair of registers, so the decoding kernels' 16 accumulators would need 32 of AVX2's 16
// and spill, and every row's scalar tail would be up to 15 elements instead of 7.
//
// The widths sum in different orders, so results differ in the last bits between them (within the parity tests'
// f32 tolerances); the same build gives the same numbers on every run.

#if RLHF_ROW_VECTOR_16
/// The row kernels' Float vector: 16 lanes (one AVX-512 register).
typealias RowVector = SIMD16<Float>
/// Unsigned 32-bit words the width of `RowVector` (bfloat16 pairs are widened through them).
typealias RowVectorWords = SIMD16<UInt32>
/// Signed 32-bit integers the width of `RowVector` (exponent arithmetic in `VectorMath.exp`).
typealias RowVectorIntegers = SIMD16<Int32>
#else
/// The row kernels' Float vector: 8 lanes (one AVX2 register, two NEON or SSE ones).
typealias RowVector = SIMD8<Float>
/// Unsigned 32-bit words the width of `RowVector` (bfloat16 pairs are widened through them).
typealias RowVectorWords = SIMD8<UInt32>
/// Signed 32-bit integers the width of `RowVector` (exponent arithmetic in `VectorMath.exp`).
typealias RowVectorIntegers = SIMD8<Int32>
#endif

/// The width the row kernels were built with, for what a job prints about its machine.
public enum RowKernels {
    /// Floats per vector in the row kernels: 16 in builds that target AVX-512, 8 otherwise.
    public static var vectorWidth: Int { RowVector.scalarCount }
}
