#ifndef RLHF_BFLOAT16_DOT_KERNELS_H
#define RLHF_BFLOAT16_DOT_KERNELS_H

#include <stdint.h>

/// 1 when this CPU and OS run AVX512_BF16 (`vdpbf16ps`) with 512-bit registers, else 0.
int rlhf_bf16_dot_available(void);

/// Rounds `rows` rows of `columns` floats (row stride `ldx`) to bfloat16, round to nearest even, into rows of stride
/// `ldo` (even, at least `columns` rounded up to even); the value after an odd row's last is written as 0.
/// Requires `rlhf_bf16_dot_available()`.
void rlhf_bf16_round_rows(const float *x, long rows, long columns, long ldx, uint16_t *out, long ldo);

/// Bytes of scratch `rlhf_bf16_gemm` needs for `columns` output columns.
long rlhf_bf16_gemm_scratch_bytes(long columns);

/// c[i, j] = sum over p of a[i, p] · b[p, j] for rows 0..<m and columns n0..<n1, where a is bfloat16 [m, k] with row
/// stride `lda` (even, made by `rlhf_bf16_round_rows`) and b is the bfloat16 weight w: b = wᵀ with w [n, k] (row
/// stride `ldw`) when `transposed`, else b = w with w [k, n]. Products of pairs are summed in Float32 by `vdpbf16ps`
/// (which flushes subnormals). `scratch` holds `rlhf_bf16_gemm_scratch_bytes(n1 - n0)` bytes, 64-byte aligned.
/// Requires `rlhf_bf16_dot_available()`.
void rlhf_bf16_gemm(
    long m, long k, const uint16_t *a, long lda, const uint16_t *w, long ldw, int transposed, long n0, long n1,
    float *c, long ldc, void *scratch);

#endif
