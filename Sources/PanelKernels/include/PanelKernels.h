#ifndef RLHF_PANEL_KERNELS_H
#define RLHF_PANEL_KERNELS_H

#include <stdint.h>

/// 1 when this CPU and OS run AVX2 and FMA on 256-bit registers and the CPU has no AVX-512 foundation, else 0: where
/// these kernels replace the Swift ones (AVX-512 builds keep their 16-float registers).
int rlhf_panel_avx2_preferred(void);

/// c[i, 32·p + j] = sum over q < k of a[i, q] · panel_p[q, j] (+ bias[32·p + j]) for rows i < m (m ≥ 1), panels
/// p0 ≤ p < p1 and columns 32·p + j < n, where panel p is `k` rows of 32 Float32 values at `panels + 32·k·p` (the
/// last one zero-padded). Each sum runs over q in order, one fused multiply-add per term starting from zero, and the
/// bias is added after it: the bits of `PackedMatrix`'s Swift kernel. Requires `rlhf_panel_avx2_preferred()`.
void rlhf_panels_f32(
    long m, long k, const float *a, long lda, const float *panels, long n, long p0, long p1, const float *bias,
    float *c, long ldc);

/// As `rlhf_panels_f32` for bfloat16 panels: row q of a panel is 16 32-bit words, word w holding column w in its low
/// half and column 16 + w in its high half (`BFloat16.loadPairs` order), each widened to Float32 exactly.
void rlhf_panels_bf16(
    long m, long k, const float *a, long lda, const uint16_t *panels, long n, long p0, long p1, const float *bias,
    float *c, long ldc);

/// Packs panel p (a whole one: 32·(p + 1) ≤ the weight's rows) of op(W) = Wᵀ for a Float32 weight w [n, k] (torch
/// Linear's layout): row q of the panel is w[32·p + j, q] for j < 32, at `panels + 32·k·p + 32·q`. Requires
/// `rlhf_panel_avx2_preferred()`.
void rlhf_pack_panel_f32(const float *w, long k, long p, float *panels);

/// As `rlhf_pack_panel_f32` for a bfloat16 weight: word j < 16 of a panel row holds w[32·p + j, q] in its low half
/// and w[32·p + 16 + j, q] in its high half (`rlhf_panels_bf16`'s order).
void rlhf_pack_panel_bf16(const uint16_t *w, long k, long p, uint16_t *panels);

#endif
