#include "atlas_scan.h"
#include <string.h>

/* No fused multiply-adds: the SIMD kernel and its scalar twin must add in the same order and round alike. */
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define ATLAS_X86 1
#endif

// Exact IEEE half → single conversion (every correct conversion gives these bits).
static inline float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
    if (exp == 0) {
        if (mant == 0) bits = sign;
        else { // subnormal: normalise
            int e = -1;
            do { e++; mant <<= 1; } while ((mant & 0x400) == 0);
            bits = sign | (uint32_t)(127 - 15 - e) << 23 | (mant & 0x3ff) << 13;
        }
    } else if (exp == 31) bits = sign | 0x7f800000 | mant << 13;
    else bits = sign | (exp + 127 - 15) << 23 | mant << 13;
    float f; memcpy(&f, &bits, 4); return f;
}

static inline float bf16_to_float(uint16_t b) {
    uint32_t bits = (uint32_t)b << 16; float f; memcpy(&f, &bits, 4); return f;
}

static inline float load_one(const unsigned char *p, size_t j, int type) {
    switch (type) {
    case ATLAS_SCAN_F16: { uint16_t h; memcpy(&h, p + 2 * j, 2); return half_to_float(h); }
    case ATLAS_SCAN_BF16: { uint16_t h; memcpy(&h, p + 2 * j, 2); return bf16_to_float(h); }
    default: { float f; memcpy(&f, p + 4 * j, 4); return f; }
    }
}

void atlas_scan_convert(const void *src, size_t count, int type, float *out) {
    const unsigned char *p = src;
    for (size_t j = 0; j < count; j++) out[j] = load_one(p, j, type);
}

// The fixed reduction of 16 lanes: a[l] + a[l + 8], then pairwise halves.
static inline float reduce16(const float *a) {
    float t[8], u[4], v[2];
    for (int l = 0; l < 8; l++) t[l] = a[l] + a[l + 8];
    for (int l = 0; l < 4; l++) u[l] = t[l] + t[l + 4];
    for (int l = 0; l < 2; l++) v[l] = u[l] + u[l + 2];
    return v[0] + v[1];
}

#define MAXD 8  // directions handled per pass over a row (more directions take several passes)

void atlas_scan_rows_scalar(const void *base, size_t count, size_t dim, size_t stride, int type,
                            const float *dirs, size_t ndir, float *dots, size_t dots_stride, float *norms) {
    const unsigned char *b = base;
    for (size_t i = 0; i < count; i++) {
        const unsigned char *row = b + i * stride;
        for (size_t k0 = 0; k0 < ndir || (ndir == 0 && k0 == 0); k0 += MAXD) {
            size_t nk = ndir - k0 < MAXD ? ndir - k0 : MAXD;
            float acc[MAXD][16], nacc[16];
            memset(acc, 0, sizeof acc); memset(nacc, 0, sizeof nacc);
            for (size_t j = 0; j < dim; j++) {
                float x = load_one(row, j, type);
                int l = (int)(j & 15);
                if (k0 == 0) nacc[l] = nacc[l] + x * x;
                for (size_t k = 0; k < nk; k++) acc[k][l] = acc[k][l] + x * dirs[(k0 + k) * dim + j];
            }
            // Lanes past the end of a partial final block added 0 * d = +0 in the vector path:
            // adding +0 to a finite or signed-zero sum changes nothing except -0 + 0 = +0.
            size_t rem = dim & 15;
            if (rem) for (int l = (int)rem; l < 16; l++) {
                if (k0 == 0) nacc[l] = nacc[l] + 0.0f;
                for (size_t k = 0; k < nk; k++) acc[k][l] = acc[k][l] + 0.0f;
            }
            if (k0 == 0) norms[i] = reduce16(nacc);
            for (size_t k = 0; k < nk; k++) dots[(k0 + k) * dots_stride + i] = reduce16(acc[k]);
            if (ndir == 0) break;
        }
    }
}

#ifdef ATLAS_X86
__attribute__((target("avx2,f16c")))
static inline __m256 load8(const unsigned char *p, size_t j, int type) {
    switch (type) {
    case ATLAS_SCAN_F16: return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p + 2 * j)));
    case ATLAS_SCAN_BF16: {
        __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(p + 2 * j)));
        return _mm256_castsi256_ps(_mm256_slli_epi32(w, 16));
    }
    default: return _mm256_loadu_ps((const float *)(p + 4 * j));
    }
}

__attribute__((target("avx2,f16c")))
static void scan_rows_avx2(const void *base, size_t count, size_t dim, size_t stride, int type,
                           const float *dirs, size_t ndir, float *dots, size_t dots_stride, float *norms) {
    const unsigned char *b = base;
    size_t full = dim & ~(size_t)15, rem = dim - full;
    float tail[16];
    for (size_t i = 0; i < count; i++) {
        const unsigned char *row = b + i * stride;
        if (i + 2 < count) _mm_prefetch((const char *)(row + 2 * stride), _MM_HINT_T0);
        for (size_t k0 = 0; k0 < ndir || (ndir == 0 && k0 == 0); k0 += MAXD) {
            size_t nk = ndir - k0 < MAXD ? ndir - k0 : MAXD;
            if (ndir == 0) nk = 0;
            __m256 a0[MAXD], a1[MAXD], n0 = _mm256_setzero_ps(), n1 = _mm256_setzero_ps();
            for (size_t k = 0; k < MAXD; k++) { a0[k] = _mm256_setzero_ps(); a1[k] = _mm256_setzero_ps(); }
            size_t j = 0;
            if (nk == 1) { // the common case, kept tight
                const float *d = dirs + k0 * dim;
                __m256 s0 = a0[0], s1 = a1[0];
                for (; j < full; j += 16) {
                    __m256 x0 = load8(row, j, type), x1 = load8(row, j + 8, type);
                    s0 = _mm256_add_ps(s0, _mm256_mul_ps(x0, _mm256_loadu_ps(d + j)));
                    s1 = _mm256_add_ps(s1, _mm256_mul_ps(x1, _mm256_loadu_ps(d + j + 8)));
                    if (k0 == 0) {
                        n0 = _mm256_add_ps(n0, _mm256_mul_ps(x0, x0));
                        n1 = _mm256_add_ps(n1, _mm256_mul_ps(x1, x1));
                    }
                }
                a0[0] = s0; a1[0] = s1;
            } else {
                for (; j < full; j += 16) {
                    __m256 x0 = load8(row, j, type), x1 = load8(row, j + 8, type);
                    if (k0 == 0) {
                        n0 = _mm256_add_ps(n0, _mm256_mul_ps(x0, x0));
                        n1 = _mm256_add_ps(n1, _mm256_mul_ps(x1, x1));
                    }
                    for (size_t k = 0; k < nk; k++) {
                        const float *d = dirs + (k0 + k) * dim + j;
                        a0[k] = _mm256_add_ps(a0[k], _mm256_mul_ps(x0, _mm256_loadu_ps(d)));
                        a1[k] = _mm256_add_ps(a1[k], _mm256_mul_ps(x1, _mm256_loadu_ps(d + 8)));
                    }
                }
            }
            if (rem) { // zero-padded final block
                memset(tail, 0, sizeof tail);
                for (size_t t = 0; t < rem; t++) tail[t] = load_one(row, full + t, type);
                __m256 x0 = _mm256_loadu_ps(tail), x1 = _mm256_loadu_ps(tail + 8);
                if (k0 == 0) {
                    n0 = _mm256_add_ps(n0, _mm256_mul_ps(x0, x0));
                    n1 = _mm256_add_ps(n1, _mm256_mul_ps(x1, x1));
                }
                for (size_t k = 0; k < nk; k++) {
                    float dt[16] = {0};
                    memcpy(dt, dirs + (k0 + k) * dim + full, rem * sizeof(float));
                    a0[k] = _mm256_add_ps(a0[k], _mm256_mul_ps(x0, _mm256_loadu_ps(dt)));
                    a1[k] = _mm256_add_ps(a1[k], _mm256_mul_ps(x1, _mm256_loadu_ps(dt + 8)));
                }
            }
            float lanes[16];
            if (k0 == 0) {
                _mm256_storeu_ps(lanes, n0); _mm256_storeu_ps(lanes + 8, n1);
                norms[i] = reduce16(lanes);
            }
            for (size_t k = 0; k < nk; k++) {
                _mm256_storeu_ps(lanes, a0[k]); _mm256_storeu_ps(lanes + 8, a1[k]);
                dots[(k0 + k) * dots_stride + i] = reduce16(lanes);
            }
            if (ndir == 0) break;
        }
    }
}

static int have_avx2 = -1;
int atlas_scan_vectorised(void) {
    if (have_avx2 < 0) {
        __builtin_cpu_init();
        have_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("f16c");
    }
    return have_avx2;
}
#else
int atlas_scan_vectorised(void) { return 0; }
#endif

void atlas_scan_rows(const void *base, size_t count, size_t dim, size_t stride, int type,
                     const float *dirs, size_t ndir, float *dots, size_t dots_stride, float *norms) {
#ifdef ATLAS_X86
    if (atlas_scan_vectorised()) { scan_rows_avx2(base, count, dim, stride, type, dirs, ndir, dots, dots_stride, norms); return; }
#endif
    atlas_scan_rows_scalar(base, count, dim, stride, type, dirs, ndir, dots, dots_stride, norms);
}

void atlas_scan_column(const void *column, size_t count, size_t j, size_t dim, int type,
                       const float *dirs, size_t ndir, float *dots, size_t dots_stride, float *norms) {
    const unsigned char *p = column;
    for (size_t r = 0; r < count; r++) {
        float x = load_one(p, r, type);
        norms[r] = norms[r] + x * x;
    }
    for (size_t k = 0; k < ndir; k++) {
        float d = dirs[k * dim + j];
        float *out = dots + k * dots_stride;
        for (size_t r = 0; r < count; r++) out[r] = out[r] + load_one(p, r, type) * d;
    }
}
