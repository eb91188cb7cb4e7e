#ifndef ATLAS_SCAN_H
#define ATLAS_SCAN_H
#include <stddef.h>
#include <stdint.h>

/// Element types the kernels read directly (native little-endian).
enum atlas_scan_type { ATLAS_SCAN_F32 = 0, ATLAS_SCAN_F16 = 1, ATLAS_SCAN_BF16 = 2 };

/// Row-major scan: row `i` of `count` starts at `base + i * stride` bytes and holds `dim` values.
/// For every row and direction `k` (directions are `ndir` rows of `dim` floats), writes the dot
/// product to `dots[k * dots_stride + i]` and the squared norm to `norms[i]`.
/// Every path (AVX2 or scalar) adds in the same order: 16 lanes, lane l summing elements
/// j ≡ l (mod 16) in order (mul then add, no fusion), then a fixed pairwise reduction, so the
/// result is the same bytes on every machine and at any thread count.
void atlas_scan_rows(const void *base, size_t count, size_t dim, size_t stride, int type,
                     const float *dirs, size_t ndir, float *dots, size_t dots_stride, float *norms);

/// The same with the scalar twin only (for tests proving both paths agree).
void atlas_scan_rows_scalar(const void *base, size_t count, size_t dim, size_t stride, int type,
                            const float *dirs, size_t ndir, float *dots, size_t dots_stride, float *norms);

/// Column-major (Fortran order) accumulation of one column segment: `column` holds `count`
/// consecutive values of column `j` for rows r0..r0+count-1; adds value * dirs[k * dim + j] to
/// `dots[k * dots_stride + r]` and value² to `norms[r]` (r relative to `dots`/`norms`).
void atlas_scan_column(const void *column, size_t count, size_t j, size_t dim, int type,
                       const float *dirs, size_t ndir, float *dots, size_t dots_stride, float *norms);

/// Converts `count` values of `type` to floats.
void atlas_scan_convert(const void *src, size_t count, int type, float *out);

/// 1 when the AVX2 + F16C path is used on this machine.
int atlas_scan_vectorised(void);
#endif
