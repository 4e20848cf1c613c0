// Decoding products on AVX2 (`PackedMatrix`): a few rows of activations times a weight packed in 32-column panels.
// Swift's 16-float row vectors are two ymm registers on AVX2, so its eight-row kernel holds 32 accumulators in 16
// registers and spills on every step, and a batch of sixteen streams every weight twice. Here one or two rows go
// through whole panels; more rows go through half panels (16 columns: two ymm per row) in groups of at most six, a
// block of depth at a time, so that the weights stream from memory once for all the rows; nothing spills. Written in
// C for the register allocation Swift's SIMD types do not give; compiled for the whole x86-64 family and entered only
// after a run-time check.

#include "PanelKernels.h"

#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

#define AVX2_TARGET __attribute__((target("avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

// `depthBlock`: depth steps per block of a panel that three or more rows take together (64 rows of a Float32 panel are
// 8 KB, which stays in L1 while every row group and both halves pass over it). `maxRows`: rows that share one pass
// over the weights (`sums` holds 32 Float32 sums for each).
enum { depthBlock = 64, maxRows = 64 };

int rlhf_panel_avx2_preferred(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (!(c & (1u << 27)) || !(c & (1u << 12)) || !(c & (1u << 28))) return 0;  // OSXSAVE, FMA, AVX
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0x6) != 0x6) return 0;  // the OS saves SSE and AVX state
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    if (!(b & (1u << 5))) return 0;  // AVX2
    return (b & (1u << 16)) ? 0 : 1;  // AVX-512F: the Swift kernels have 32 registers there
}

// The two 8-column vectors of a panel row that a half panel takes: half h of a Float32 row is columns 8h..8h+7 and
// 16+8h..16+8h+7, the same columns one 32-byte load of bfloat16 words gives (low halves, then high halves).
INLINE AVX2_TARGET void load_f32(const float *row, int h, __m256 *lo, __m256 *hi) {
    *lo = _mm256_loadu_ps(row + 8 * h);
    *hi = _mm256_loadu_ps(row + 16 + 8 * h);
}

INLINE AVX2_TARGET void load_bf16(const uint16_t *row, int h, __m256 *lo, __m256 *hi) {
    const __m256i words = _mm256_loadu_si256((const __m256i *)(row + 16 * h));
    *lo = _mm256_castsi256_ps(_mm256_slli_epi32(words, 16));
    *hi = _mm256_castsi256_ps(_mm256_and_si256(words, _mm256_set1_epi32((int)0xFFFF0000u)));
}

// Stores 8 results at `out` (columns `first`.. of the output), adding the bias after the sum, keeping columns < n.
INLINE AVX2_TARGET void store8(__m256 v, const float *bias, long first, long n, float *out) {
    if (first >= n) return;
    if (first + 8 <= n) {
        if (bias) v = _mm256_add_ps(v, _mm256_loadu_ps(bias + first));
        _mm256_storeu_ps(out + first, v);
        return;
    }
    float lanes[8];
    _mm256_storeu_ps(lanes, v);
    for (long j = first; j < n; j++) out[j] = bias ? lanes[j - first] + bias[j] : lanes[j - first];
}

// R rows (≤ 6) × half h of a panel, steps q0..<q1 of its depth: 2R accumulators, two weight vectors and one
// broadcast in registers. The sums so far live in `sums` (a row of 32 per row of a, exact Float32 values), so that
// stopping after a block of steps does not change one bit of them.
INLINE AVX2_TARGET void half_panel(
    const int R, const int bf16, long q0, long q1, const float *a, long lda, const void *panel, int h, float *sums) {
    __m256 lo[6], hi[6];
    for (int r = 0; r < R; r++) {
        lo[r] = q0 == 0 ? _mm256_setzero_ps() : _mm256_loadu_ps(sums + 32 * r + 8 * h);
        hi[r] = q0 == 0 ? _mm256_setzero_ps() : _mm256_loadu_ps(sums + 32 * r + 16 + 8 * h);
    }
    for (long q = q0; q < q1; q++) {
        __m256 wl, wh;
        if (bf16) load_bf16((const uint16_t *)panel + 32 * q, h, &wl, &wh);
        else load_f32((const float *)panel + 32 * q, h, &wl, &wh);
        for (int r = 0; r < R; r++) {
            const __m256 x = _mm256_broadcast_ss(a + r * lda + q);
            lo[r] = _mm256_fmadd_ps(x, wl, lo[r]);
            hi[r] = _mm256_fmadd_ps(x, wh, hi[r]);
        }
    }
    for (int r = 0; r < R; r++) {
        _mm256_storeu_ps(sums + 32 * r + 8 * h, lo[r]);
        _mm256_storeu_ps(sums + 32 * r + 16 + 8 * h, hi[r]);
    }
}

// R rows (1 or 2) × the whole panel p: the weights stream once, four accumulators per row.
INLINE AVX2_TARGET void whole_panel(
    const int R, const int bf16, long k, const float *a, long lda, const void *panel, long col0, long n,
    const float *bias, float *c, long ldc) {
    __m256 acc[2][4];
    for (int r = 0; r < R; r++)
        for (int v = 0; v < 4; v++) acc[r][v] = _mm256_setzero_ps();
    for (long q = 0; q < k; q++) {
        __m256 w[4];
        if (bf16) {
            load_bf16((const uint16_t *)panel + 32 * q, 0, &w[0], &w[2]);
            load_bf16((const uint16_t *)panel + 32 * q, 1, &w[1], &w[3]);
        } else {
            for (int v = 0; v < 4; v++) w[v] = _mm256_loadu_ps((const float *)panel + 32 * q + 8 * v);
        }
        for (int r = 0; r < R; r++) {
            const __m256 x = _mm256_broadcast_ss(a + r * lda + q);
            for (int v = 0; v < 4; v++) acc[r][v] = _mm256_fmadd_ps(x, w[v], acc[r][v]);
        }
    }
    for (int r = 0; r < R; r++)
        for (int v = 0; v < 4; v++) store8(acc[r][v], bias, col0 + 8 * v, n, c + r * ldc);
}

// Rows 0..<m over panels p0..<p1; `element` is the bytes of one panel value.
INLINE AVX2_TARGET void panels(
    const int bf16, long m, long k, const float *a, long lda, const void *packed, long n, long p0, long p1,
    const float *bias, float *c, long ldc) {
    const long element = bf16 ? 2 : 4;
    for (long p = p0; p < p1; p++) {
        const void *panel = (const char *)packed + p * k * 32 * element;
        const long col0 = 32 * p;
        if (m <= 2) {
            if (m == 1) whole_panel(1, bf16, k, a, lda, panel, col0, n, bias, c, ldc);
            else whole_panel(2, bf16, k, a, lda, panel, col0, n, bias, c, ldc);
            continue;
        }
        // Blocks of `depthBlock` steps: the first pass over a block (one half panel for the first rows) brings it
        // from memory in order, the other passes (the other half, the other rows) find it in L1, so the weights
        // stream once for all the rows. Rows go in chunks of `maxRows` and, within one, in groups of at most six,
        // as even as possible (7 = 4 + 3, 16 = 6 + 5 + 5).
        float sums[maxRows * 32];
        for (long chunk = 0; chunk < m; chunk += maxRows) {
            const long rowsHere = m - chunk < maxRows ? m - chunk : maxRows;
            if (k == 0) memset(sums, 0, sizeof sums);
            const long groups = (rowsHere + 5) / 6;
            for (long q0 = 0; q0 < k; q0 += depthBlock) {
                const long q1 = q0 + depthBlock < k ? q0 + depthBlock : k;
                long first = 0;
                for (long g = 0; g < groups; g++) {
                    const long rows = (rowsHere - first) / (groups - g);
                    const float *ag = a + (chunk + first) * lda;
                    float *sg = sums + 32 * first;
                    for (int h = 0; h < 2; h++) {
                        switch (rows) {
                        case 1: half_panel(1, bf16, q0, q1, ag, lda, panel, h, sg); break;
                        case 2: half_panel(2, bf16, q0, q1, ag, lda, panel, h, sg); break;
                        case 3: half_panel(3, bf16, q0, q1, ag, lda, panel, h, sg); break;
                        case 4: half_panel(4, bf16, q0, q1, ag, lda, panel, h, sg); break;
                        case 5: half_panel(5, bf16, q0, q1, ag, lda, panel, h, sg); break;
                        default: half_panel(6, bf16, q0, q1, ag, lda, panel, h, sg); break;
                        }
                    }
                    first += rows;
                }
            }
            for (long r = 0; r < rowsHere; r++)
                for (int v = 0; v < 4; v++)
                    store8(_mm256_loadu_ps(sums + 32 * r + 8 * v), bias, col0 + 8 * v, n, c + (chunk + r) * ldc);
        }
    }
}

AVX2_TARGET void rlhf_panels_f32(
    long m, long k, const float *a, long lda, const float *packed, long n, long p0, long p1, const float *bias,
    float *c, long ldc) {
    panels(0, m, k, a, lda, packed, n, p0, p1, bias, c, ldc);
}

AVX2_TARGET void rlhf_panels_bf16(
    long m, long k, const float *a, long lda, const uint16_t *packed, long n, long p0, long p1, const float *bias,
    float *c, long ldc) {
    panels(1, m, k, a, lda, packed, n, p0, p1, bias, c, ldc);
}

// The eight rows r[0..7] of an 8 × 8 block of 32-bit values, transposed in place: r[q] becomes column q.
INLINE AVX2_TARGET void transpose8(__m256 r[8]) {
    const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    const __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    const __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    const __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    const __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    r[0] = _mm256_permute2f128_ps(s0, s4, 0x20); r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
    r[1] = _mm256_permute2f128_ps(s1, s5, 0x20); r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
    r[2] = _mm256_permute2f128_ps(s2, s6, 0x20); r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
    r[3] = _mm256_permute2f128_ps(s3, s7, 0x20); r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

// Packing reads eight weight rows (outputs) eight depths at a time and writes eight panel rows: 8 × 8 transposes in
// registers, where a scalar copy stores one value per cache line of the panel.
AVX2_TARGET void rlhf_pack_panel_f32(const float *w, long k, long p, float *panels) {
    float *panel = panels + p * k * 32;
    for (int c0 = 0; c0 < 32; c0 += 8) {
        const float *rows = w + (32 * p + c0) * k;
        long q0 = 0;
        for (; q0 + 8 <= k; q0 += 8) {
            __m256 r[8];
            for (int i = 0; i < 8; i++) r[i] = _mm256_loadu_ps(rows + i * k + q0);
            transpose8(r);
            for (int q = 0; q < 8; q++) _mm256_storeu_ps(panel + (q0 + q) * 32 + c0, r[q]);
        }
        for (; q0 < k; q0++)
            for (int i = 0; i < 8; i++) panel[q0 * 32 + c0 + i] = rows[i * k + q0];
    }
}

AVX2_TARGET void rlhf_pack_panel_bf16(const uint16_t *w, long k, long p, uint16_t *panels) {
    uint16_t *panel = panels + p * k * 32;
    for (int j0 = 0; j0 < 16; j0 += 8) {
        const uint16_t *low = w + (32 * p + j0) * k, *high = w + (32 * p + 16 + j0) * k;
        long q0 = 0;
        for (; q0 + 8 <= k; q0 += 8) {
            // Row i: the words of column pair j0 + i at depths q0..q0+7 (low half from `low`, high from `high`).
            __m256 r[8];
            for (int i = 0; i < 8; i++) {
                const __m128i l = _mm_loadu_si128((const __m128i *)(low + i * k + q0));
                const __m128i h = _mm_loadu_si128((const __m128i *)(high + i * k + q0));
                r[i] = _mm256_castsi256_ps(_mm256_set_m128i(_mm_unpackhi_epi16(l, h), _mm_unpacklo_epi16(l, h)));
            }
            transpose8(r);
            for (int q = 0; q < 8; q++) _mm256_storeu_ps((float *)(panel + (q0 + q) * 32 + 2 * j0), r[q]);
        }
        for (; q0 < k; q0++)
            for (int i = 0; i < 8; i++) {
                panel[q0 * 32 + 2 * (j0 + i)] = low[i * k + q0];
                panel[q0 * 32 + 2 * (j0 + i) + 1] = high[i * k + q0];
            }
    }
}

#else

int rlhf_panel_avx2_preferred(void) { return 0; }
void rlhf_panels_f32(
    long m, long k, const float *a, long lda, const float *packed, long n, long p0, long p1, const float *bias,
    float *c, long ldc) {}
void rlhf_panels_bf16(
    long m, long k, const float *a, long lda, const uint16_t *packed, long n, long p0, long p1, const float *bias,
    float *c, long ldc) {}
void rlhf_pack_panel_f32(const float *w, long k, long p, float *panels) {}
void rlhf_pack_panel_bf16(const uint16_t *w, long k, long p, uint16_t *panels) {}

#endif
