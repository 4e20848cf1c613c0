// Products of bfloat16 activations with bfloat16 weights on AVX512_BF16: `vdpbf16ps` multiplies 32 bfloat16 pairs and
// adds them into 16 Float32 sums, twice the multiply-adds of a Float32 FMA per instruction. Written in C because Swift
// has no way to reach the instruction; compiled for the whole x86-64 family and entered only after a run-time check.

#include "BFloat16DotKernels.h"

#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

#define BF16_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512bf16")))
#define INLINE static inline __attribute__((always_inline))

// Register tile: MR rows × 32 columns, two zmm accumulators per row (24 of the 32 registers). Depth blocks of KC
// values (KC / 2 pairs) keep a packed 32-column panel (KC × 32 × 2 bytes = 24 KB) in L1 while MR-row slivers of an
// MC-row block of A (72 KB) stream past it from L2; NC columns of packed weights (384 KB) stay in L2 across the row
// blocks. Measured on a Zen 5 core: 410-480 GFLOP/s at SmolLM2's projection shapes, against ~230 for Float32 sgemm.
enum { MR = 12, NR = 32, KC = 384, MC = 96, NC = 512 };

int rlhf_bf16_dot_available(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return 0;  // OSXSAVE
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0xE6) != 0xE6) return 0;  // the OS saves SSE, AVX, opmask and all 32 zmm
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    const unsigned needed = (1u << 16) | (1u << 17) | (1u << 30) | (1u << 31);  // F, DQ, BW, VL
    if ((b & needed) != needed) return 0;
    if (!__get_cpuid_count(7, 1, &a, &b, &c, &d)) return 0;
    return (a >> 5) & 1;  // AVX512_BF16
}

BF16_TARGET void rlhf_bf16_round_rows(const float *x, long rows, long columns, long ldx, uint16_t *out, long ldo) {
    const long padded = (columns + 1) & ~1L;
    for (long i = 0; i < rows; i++) {
        const float *src = x + i * ldx;
        uint16_t *dst = out + i * ldo;
        long j = 0;
        for (; j + 32 <= columns; j += 32) {
            __m512 lo = _mm512_loadu_ps(src + j), hi = _mm512_loadu_ps(src + j + 16);
            _mm512_storeu_si512(dst + j, (__m512i)_mm512_cvtne2ps_pbh(hi, lo));
        }
        if (j < padded) {
            const long left = columns - j;
            const __mmask16 mlo = (__mmask16)(left >= 16 ? 0xFFFF : (1u << left) - 1);
            const __mmask16 mhi = (__mmask16)(left >= 32 ? 0xFFFF : left > 16 ? (1u << (left - 16)) - 1 : 0);
            __m512 lo = _mm512_maskz_loadu_ps(mlo, src + j), hi = _mm512_maskz_loadu_ps(mhi, src + j + 16);
            const long store = padded - j;
            _mm512_mask_storeu_epi16(dst + j, (__mmask32)((1ull << store) - 1), (__m512i)_mm512_cvtne2ps_pbh(hi, lo));
        }
    }
}

long rlhf_bf16_gemm_scratch_bytes(long columns) {
    const long panels = ((columns < NC ? columns : NC) + NR - 1) / NR;
    return panels * (KC / 2) * NR * 4;
}

// One packed panel: for each pair p of the depth block and each of the panel's 32 columns j, the two bfloat16 values
// b[2p, j], b[2p + 1, j] side by side (the operand order of vdpbf16ps). Columns past the matrix and the value after
// an odd depth's last are zero.

// b = wᵀ, w [n, k]: the pair (w[j, 2p], w[j, 2p + 1]) is one 32-bit word of w's row j, so a panel is a transpose of
// 32-bit words: depth k0 ..< k0 + kc of columns j0 ..< j0 + columns into a panel `width` (a multiple of 16) words wide.
// The weight comes from memory once per product, and at a few hundred rows waiting for it was a tenth of the
// product's time. Sixteen rows of sixteen words at a time go through registers (`transpose16`), each row's next lines
// asked for early: 11% off a 256-row forward (`rlhf bench bf16 --train-rows 256 --dim 576 --layers 12`, medians of
// eight), where the word-at-a-time transpose, with or without prefetching, gained nothing.
BF16_TARGET INLINE void transpose16(__m512i r[16]) {
    __m512i t[16];
    // Within each 128-bit lane: t[2i] = (r2i[0], r2i+1[0], r2i[1], r2i+1[1]), t[2i + 1] the same of words 2 and 3.
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_epi32(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_epi32(r[2 * i], r[2 * i + 1]);
    }
    // r[4i + c], lane L: word 4L + c of rows 4i ..< 4i + 4.
    for (int i = 0; i < 4; i++) {
        r[4 * i] = _mm512_unpacklo_epi64(t[4 * i], t[4 * i + 2]);
        r[4 * i + 1] = _mm512_unpackhi_epi64(t[4 * i], t[4 * i + 2]);
        r[4 * i + 2] = _mm512_unpacklo_epi64(t[4 * i + 1], t[4 * i + 3]);
        r[4 * i + 3] = _mm512_unpackhi_epi64(t[4 * i + 1], t[4 * i + 3]);
    }
    // Word 4L + c of all sixteen rows: lane L of r[c], r[4 + c], r[8 + c], r[12 + c].
    for (int c = 0; c < 4; c++) {
        const __m512i x0 = _mm512_shuffle_i32x4(r[c], r[4 + c], 0x44), x1 = _mm512_shuffle_i32x4(r[c], r[4 + c], 0xEE);
        const __m512i y0 = _mm512_shuffle_i32x4(r[8 + c], r[12 + c], 0x44);
        const __m512i y1 = _mm512_shuffle_i32x4(r[8 + c], r[12 + c], 0xEE);
        t[c] = _mm512_shuffle_i32x4(x0, y0, 0x88);
        t[4 + c] = _mm512_shuffle_i32x4(x0, y0, 0xDD);
        t[8 + c] = _mm512_shuffle_i32x4(x1, y1, 0x88);
        t[12 + c] = _mm512_shuffle_i32x4(x1, y1, 0xDD);
    }
    for (int i = 0; i < 16; i++) r[i] = t[i];
}

BF16_TARGET static void transpose_pairs(
    const uint16_t *w, long ldw, long k0, long kc, long j0, long columns, long width, uint32_t *panel) {
    const long pairs = (kc + 1) / 2, whole = kc / 2;
    for (long jb = 0; jb < width; jb += 16) {
        for (long p0 = 0; p0 < whole; p0 += 16) {
            const long count = whole - p0 < 16 ? whole - p0 : 16;
            const __mmask16 mask = (__mmask16)((1u << count) - 1);
            __m512i r[16];
            for (long i = 0; i < 16; i++) {
                if (jb + i >= columns) {
                    r[i] = _mm512_setzero_si512();
                    continue;
                }
                const uint16_t *words = w + (j0 + jb + i) * ldw + k0 + 2 * p0;
                _mm_prefetch((const char *)words + 256, _MM_HINT_T0);
                r[i] = _mm512_maskz_loadu_epi32(mask, (const void *)words);
            }
            transpose16(r);
            for (long p = 0; p < count; p++) _mm512_storeu_si512(panel + (p0 + p) * width + jb, r[p]);
        }
        if (pairs > whole) {  // the odd depth's last value, zero above it
            for (long j = jb; j < jb + 16; j++) {
                panel[whole * width + j] = j < columns ? w[(j0 + j) * ldw + k0 + kc - 1] : 0;
            }
        }
    }
}

// b = w, w [k, n]: a pair interleaves rows 2p and 2p + 1 of w.
BF16_TARGET static void pack_plain(
    const uint16_t *w, long ldw, long k0, long kc, long j0, long columns, uint32_t *panel) {
    const long pairs = (kc + 1) / 2;
    const __m512i firstHalf = _mm512_set_epi16(
        47, 15, 46, 14, 45, 13, 44, 12, 43, 11, 42, 10, 41, 9, 40, 8, 39, 7, 38, 6, 37, 5, 36, 4, 35, 3, 34, 2, 33, 1,
        32, 0);
    const __m512i secondHalf = _mm512_add_epi16(firstHalf, _mm512_set1_epi16(16));
    const __mmask32 mask = (__mmask32)(columns >= NR ? 0xFFFFFFFFu : (1u << columns) - 1);
    for (long p = 0; p < pairs; p++) {
        const uint16_t *even = w + (k0 + 2 * p) * ldw + j0;
        if (2 * p + 9 < kc) {  // the weight comes from memory: ask for the rows four pairs on early
            _mm_prefetch((const char *)(even + 8 * ldw), _MM_HINT_T0);
            _mm_prefetch((const char *)(even + 9 * ldw), _MM_HINT_T0);
        }
        __m512i e = _mm512_maskz_loadu_epi16(mask, even);
        __m512i o = 2 * p + 1 < kc ? _mm512_maskz_loadu_epi16(mask, even + ldw) : _mm512_setzero_si512();
        _mm512_storeu_si512(panel + p * NR, _mm512_permutex2var_epi16(e, firstHalf, o));
        _mm512_storeu_si512(panel + p * NR + 16, _mm512_permutex2var_epi16(e, secondHalf, o));
    }
}

// c[0..<rows, 0..<columns] (+)= a-sliver · panel over `pairs` pairs; `rows` ≤ MR is a constant after inlining.
BF16_TARGET INLINE void tile(
    long rows, long pairs, const uint16_t *a, long lda, const uint32_t *panel, float *c, long ldc, long columns,
    int accumulate) {
    __m512 acc[MR][2];
    for (long i = 0; i < MR; i++)
        if (i < rows) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
    const uint32_t *arow[MR];
    for (long i = 0; i < MR; i++)
        if (i < rows) arow[i] = (const uint32_t *)(const void *)(a + i * lda);
    for (long p = 0; p < pairs; p++) {
        const __m512bh b0 = (__m512bh)_mm512_loadu_si512(panel + p * NR);
        const __m512bh b1 = (__m512bh)_mm512_loadu_si512(panel + p * NR + 16);
        for (long i = 0; i < MR; i++) {
            if (i < rows) {
                uint32_t word;
                memcpy(&word, arow[i] + p, 4);
                const __m512bh x = (__m512bh)_mm512_set1_epi32((int)word);
                acc[i][0] = _mm512_dpbf16_ps(acc[i][0], x, b0);
                acc[i][1] = _mm512_dpbf16_ps(acc[i][1], x, b1);
            }
        }
    }
    const __mmask16 m0 = (__mmask16)(columns >= 16 ? 0xFFFF : (1u << columns) - 1);
    const __mmask16 m1 = (__mmask16)(columns >= 32 ? 0xFFFF : columns > 16 ? (1u << (columns - 16)) - 1 : 0);
    for (long i = 0; i < MR; i++) {
        if (i < rows) {
            float *out = c + i * ldc;
            __m512 s0 = acc[i][0], s1 = acc[i][1];
            if (accumulate) {
                s0 = _mm512_add_ps(s0, _mm512_maskz_loadu_ps(m0, out));
                s1 = _mm512_add_ps(s1, _mm512_maskz_loadu_ps(m1, out + 16));
            }
            _mm512_mask_storeu_ps(out, m0, s0);
            _mm512_mask_storeu_ps(out + 16, m1, s1);
        }
    }
}

#define TILE_CASE(R) \
    case R: tile(R, pairs, a, lda, panel, c, ldc, columns, accumulate); break;

BF16_TARGET static void tile_rows(
    long rows, long pairs, const uint16_t *a, long lda, const uint32_t *panel, float *c, long ldc, long columns,
    int accumulate) {
    switch (rows) {
        TILE_CASE(1) TILE_CASE(2) TILE_CASE(3) TILE_CASE(4) TILE_CASE(5) TILE_CASE(6)
        TILE_CASE(7) TILE_CASE(8) TILE_CASE(9) TILE_CASE(10) TILE_CASE(11) TILE_CASE(12)
        default: break;
    }
}

// Columns n0..<n1 (at most NC) of the product, depth block by depth block.
BF16_TARGET static void block(
    long m, long k, const uint16_t *a, long lda, const uint16_t *w, long ldw, int transposed, long n0, long n1,
    float *c, long ldc, uint32_t *packed) {
    const long panels = (n1 - n0 + NR - 1) / NR;
    for (long k0 = 0; k0 < k; k0 += KC) {
        const long kc = k - k0 < KC ? k - k0 : KC, pairs = (kc + 1) / 2;
        for (long q = 0; q < panels; q++) {
            const long j0 = n0 + q * NR, columns = n1 - j0 < NR ? n1 - j0 : NR;
            uint32_t *panel = packed + q * (KC / 2) * NR;
            if (transposed) {
                transpose_pairs(w, ldw, k0, kc, j0, columns, NR, panel);
            } else {
                pack_plain(w, ldw, k0, kc, j0, columns, panel);
            }
        }
        const int accumulate = k0 > 0;
        for (long i0 = 0; i0 < m; i0 += MC) {
            const long i1 = m - i0 < MC ? m : i0 + MC;
            for (long q = 0; q < panels; q++) {
                const long j0 = n0 + q * NR, columns = n1 - j0 < NR ? n1 - j0 : NR;
                const uint32_t *panel = packed + q * (KC / 2) * NR;
                for (long i = i0; i < i1; i += MR) {
                    const long rows = i1 - i < MR ? i1 - i : MR;
                    tile_rows(rows, pairs, a + i * lda + k0, lda, panel, c + i * ldc + j0, ldc, columns, accumulate);
                }
            }
        }
    }
}


BF16_TARGET void rlhf_bf16_gemm(
    long m, long k, const uint16_t *a, long lda, const uint16_t *w, long ldw, int transposed, long n0, long n1,
    float *c, long ldc, void *scratch) {
    uint32_t *packed = (uint32_t *)scratch;
    if (k == 0) {
        for (long i = 0; i < m; i++) memset(c + i * ldc + n0, 0, (size_t)(n1 - n0) * sizeof(float));
        return;
    }
    for (long nb = n0; nb < n1; nb += NC) {
        const long ne = n1 - nb < NC ? n1 : nb + NC;
        block(m, k, a, lda, w, ldw, transposed, nb, ne, c, ldc, packed);
    }
}

// Decoding panels: 16 columns (one zmm of pair words) over the whole depth, packed once per generation call. A
// product streams each panel once for up to DR rows, which keep one accumulator each; depth blocks of KC values are
// summed from zero and added into c as `block` does, so every value equals rlhf_bf16_gemm's bit for bit.
enum { DN = 16, DR = 16 };

long rlhf_bf16_panel_words(long k, long n) { return ((n + DN - 1) / DN) * ((k + 1) / 2) * DN; }

BF16_TARGET void rlhf_bf16_pack_panels(
    const uint16_t *w, long ldw, int transposed, long k, long n, uint32_t *panels, long q0, long q1) {
    const long pairs = (k + 1) / 2;
    for (long q = q0; q < q1; q++) {
        uint32_t *panel = panels + q * pairs * DN;
        const long j0 = q * DN, columns = n - j0 < DN ? n - j0 : DN;
        if (transposed) {
            transpose_pairs(w, ldw, 0, k, j0, columns, DN, panel);
            continue;
        }
        const __mmask16 mask = (__mmask16)(columns >= DN ? 0xFFFF : (1u << columns) - 1);
        for (long p = 0; p < pairs; p++) {
            const uint16_t *even = w + 2 * p * ldw + j0;
            // Widened to 32 bits, the odd row's value shifted above the even one's: the pair word.
            const __m512i e = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(mask, even));
            const __m512i o = 2 * p + 1 < k ? _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(mask, even + ldw))
                                            : _mm512_setzero_si512();
            _mm512_storeu_si512(panel + p * DN, _mm512_or_si512(e, _mm512_slli_epi32(o, 16)));
        }
    }
}

// Rows 0..<rows (≤ DR, a constant after inlining) of a times one panel, into c's 16 columns at `c` (`columns` of them).
BF16_TARGET INLINE void panel_tile(
    long rows, long k, const uint16_t *a, long lda, const uint32_t *panel, float *c, long ldc, long columns) {
    const long pairs = (k + 1) / 2;
    const __mmask16 mask = (__mmask16)(columns >= DN ? 0xFFFF : (1u << columns) - 1);
    const uint32_t *arow[DR];
    for (long i = 0; i < DR; i++)
        if (i < rows) arow[i] = (const uint32_t *)(const void *)(a + i * lda);
    for (long p0 = 0; p0 < pairs; p0 += KC / 2) {
        const long p1 = pairs - p0 < KC / 2 ? pairs : p0 + KC / 2;
        __m512 acc[DR];
        for (long i = 0; i < DR; i++)
            if (i < rows) acc[i] = _mm512_setzero_ps();
        for (long p = p0; p < p1; p++) {
            const __m512bh b = (__m512bh)_mm512_loadu_si512(panel + p * DN);
            for (long i = 0; i < DR; i++) {
                if (i < rows) {
                    uint32_t word;
                    memcpy(&word, arow[i] + p, 4);
                    acc[i] = _mm512_dpbf16_ps(acc[i], (__m512bh)_mm512_set1_epi32((int)word), b);
                }
            }
        }
        for (long i = 0; i < DR; i++) {
            if (i < rows) {
                float *out = c + i * ldc;
                __m512 s = acc[i];
                if (p0 > 0) s = _mm512_add_ps(s, _mm512_maskz_loadu_ps(mask, out));
                _mm512_mask_storeu_ps(out, mask, s);
            }
        }
    }
}

#define PANEL_CASE(R) \
    case R: panel_tile(R, k, a0, lda, panel, c0, ldc, columns); break;

BF16_TARGET void rlhf_bf16_panel_gemm(
    long m, long k, const uint16_t *a, long lda, const uint32_t *panels, long n, long q0, long q1, float *c,
    long ldc) {
    const long pairs = (k + 1) / 2;
    for (long q = q0; q < q1; q++) {
        const long j0 = q * DN, columns = n - j0 < DN ? n - j0 : DN;
        if (k == 0) {
            for (long i = 0; i < m; i++) memset(c + i * ldc + j0, 0, (size_t)columns * sizeof(float));
            continue;
        }
        const uint32_t *panel = panels + q * pairs * DN;
        for (long i0 = 0; i0 < m; i0 += DR) {
            const long rows = m - i0 < DR ? m - i0 : DR;
            const uint16_t *a0 = a + i0 * lda;
            float *c0 = c + i0 * ldc + j0;
            switch (rows) {
                PANEL_CASE(1) PANEL_CASE(2) PANEL_CASE(3) PANEL_CASE(4) PANEL_CASE(5) PANEL_CASE(6) PANEL_CASE(7)
                PANEL_CASE(8) PANEL_CASE(9) PANEL_CASE(10) PANEL_CASE(11) PANEL_CASE(12) PANEL_CASE(13)
                PANEL_CASE(14) PANEL_CASE(15) PANEL_CASE(16)
                default: break;
            }
        }
    }
}

#else

int rlhf_bf16_dot_available(void) { return 0; }
void rlhf_bf16_round_rows(const float *x, long rows, long columns, long ldx, uint16_t *out, long ldo) {
    (void)x; (void)rows; (void)columns; (void)ldx; (void)out; (void)ldo;
}
long rlhf_bf16_gemm_scratch_bytes(long columns) { (void)columns; return 0; }
long rlhf_bf16_panel_words(long k, long n) { (void)k; (void)n; return 0; }
void rlhf_bf16_pack_panels(
    const uint16_t *w, long ldw, int transposed, long k, long n, uint32_t *panels, long q0, long q1) {
    (void)w; (void)ldw; (void)transposed; (void)k; (void)n; (void)panels; (void)q0; (void)q1;
}
void rlhf_bf16_panel_gemm(
    long m, long k, const uint16_t *a, long lda, const uint32_t *panels, long n, long q0, long q1, float *c,
    long ldc) {
    (void)m; (void)k; (void)a; (void)lda; (void)panels; (void)n; (void)q0; (void)q1; (void)c; (void)ldc;
}
void rlhf_bf16_gemm(
    long m, long k, const uint16_t *a, long lda, const uint16_t *w, long ldw, int transposed, long n0, long n1,
    float *c, long ldc, void *scratch) {
    (void)m; (void)k; (void)a; (void)lda; (void)w; (void)ldw; (void)transposed; (void)n0; (void)n1; (void)c;
    (void)ldc; (void)scratch;
}

#endif
