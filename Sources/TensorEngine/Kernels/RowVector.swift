// The vector the row kernels work in: element-wise ops, norms, softmax, attention, losses, the optimizers' updates and
// the decoding products (SkinnyGEMM, BFloat16SkinnyGEMM, PackedMatrix).
//
// Its width follows what the build targets. Package.swift defines `RLHF_ROW_VECTOR_16` when a release build targets
// AVX2 or AVX-512: 16 floats are two AVX2 registers or one AVX-512 register. Builds for 128-bit vectors (generic
// x86-64's SSE, NEON) and debug builds get 8, two registers there: 16 would be four, and the decoding kernels' 16
// accumulators would need 64 of SSE's 16 registers. With AVX2 code on a Zen 5, 8 floats decoded ~20% slower than 16
// (one vector is one register, so each loop step does half the work) and ran the row kernels no faster.
//
// The widths sum in different orders, so results differ in the last bits between them (within the parity tests'
// f32 tolerances); the same build gives the same numbers on every run.

#if RLHF_ROW_VECTOR_16
/// The row kernels' Float vector: 16 lanes (one AVX-512 register, two AVX2 ones).
typealias RowVector = SIMD16<Float>
/// Unsigned 32-bit words the width of `RowVector` (bfloat16 pairs are widened through them).
typealias RowVectorWords = SIMD16<UInt32>
/// Signed 32-bit integers the width of `RowVector` (exponent arithmetic in `VectorMath.exp`).
typealias RowVectorIntegers = SIMD16<Int32>
#else
/// The row kernels' Float vector: 8 lanes (two NEON or SSE registers).
typealias RowVector = SIMD8<Float>
/// Unsigned 32-bit words the width of `RowVector` (bfloat16 pairs are widened through them).
typealias RowVectorWords = SIMD8<UInt32>
/// Signed 32-bit integers the width of `RowVector` (exponent arithmetic in `VectorMath.exp`).
typealias RowVectorIntegers = SIMD8<Int32>
#endif

/// The width the row kernels were built with, for what a job prints about its machine.
public enum RowKernels {
    /// Floats per vector in the row kernels: 16 in release builds that target AVX2 or AVX-512, 8 otherwise.
    public static var vectorWidth: Int { RowVector.scalarCount }
}

// self + a·b: one fused multiply-add where the build target has the instruction, else a multiply and an add.
//
// `addingProduct` promises the fused, once-rounded result, so on a target without FMA (generic x86-64, which
// dependency and debug builds get: Package.swift defines `RLHF_NO_FMA` for them) LLVM computes it with a libm `fmaf`
// call per lane, which made generic builds' kernels 10–20× slower. Swift never contracts `a * b + c` itself. The
// extensions are on the concrete vectors (not generic over SIMD) so that debug builds use the vector operators too.

extension SIMD16 where Scalar == Float {
    /// self + a·b, fused where the target has FMA.
    @inline(__always)
    func plusProduct(_ a: Self, _ b: Self) -> Self {
        #if RLHF_NO_FMA
        return self + a * b
        #else
        return addingProduct(a, b)
        #endif
    }
}

extension SIMD8 where Scalar == Float {
    /// self + a·b, fused where the target has FMA.
    @inline(__always)
    func plusProduct(_ a: Self, _ b: Self) -> Self {
        #if RLHF_NO_FMA
        return self + a * b
        #else
        return addingProduct(a, b)
        #endif
    }
}
