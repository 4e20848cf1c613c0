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

/// 32-bit words of the decoding panels of a weight with `k` inputs and `n` outputs (`rlhf_bf16_pack_panels`).
long rlhf_bf16_panel_words(long k, long n);

/// Packs op(W) (W as in `rlhf_bf16_gemm`: op(W) = Wᵀ, w [n, k], when `transposed`, else w [k, n]) into panels of 16
/// columns for `rlhf_bf16_panel_gemm`, panels q0..<q1 of them: panel q holds, for each pair p of the whole depth, the
/// words (b[2p, j], b[2p + 1, j]) of its 16 columns j; columns past n and the value after an odd depth's last are zero.
/// Requires `rlhf_bf16_dot_available()`.
void rlhf_bf16_pack_panels(const uint16_t *w, long ldw, int transposed, long k, long n, uint32_t *panels, long q0,
    long q1);

/// The columns of panels q0..<q1 of `rlhf_bf16_gemm`'s product for rows 0..<m of a (made by `rlhf_bf16_round_rows`),
/// from weights packed once by `rlhf_bf16_pack_panels`: the same sums in the same order, so the same bits, for the
/// few rows of a decoding step (sixteen at a time, each panel streamed once per sixteen rows).
/// Requires `rlhf_bf16_dot_available()`.
void rlhf_bf16_panel_gemm(long m, long k, const uint16_t *a, long lda, const uint32_t *panels, long n, long q0, long q1,
    float *c, long ldc);

#endif
