#pragma once
#include <stddef.h>
#include <stdint.h>

/* A TIFF writer over libtiff for print labs: RGB, 8 or 16 bits a sample, LZW or Deflate with the
   horizontal predictor, the ICC profile, resolution and provenance tags, written strip by strip.
   (libtiff's tag setter is variadic, which Swift cannot call, so it lives here.) */

typedef struct atlas_tiff_writer atlas_tiff_writer;

typedef struct {
    uint32_t width;
    uint32_t height;
    int bit_depth;              /* 8 or 16 */
    int compression;            /* 0 = none, 1 = LZW, 2 = Deflate */
    int level;                  /* Deflate level 1..9 */
    double dots_per_inch;       /* 0 = no resolution tags */
    const uint8_t *icc_profile; /* or NULL */
    size_t icc_profile_length;
    const char *software;       /* tags, or NULL */
    const char *description;
    const char *document_name;
} atlas_tiff_options;

atlas_tiff_writer *atlas_tiff_open(const char *path, const atlas_tiff_options *options, char *error, size_t error_size);
/* Writes `count` rows of RGB samples (8-bit bytes or native-endian 16-bit), `stride` bytes apart. */
int atlas_tiff_write_rows(atlas_tiff_writer *writer, const void *rows, uint32_t count, size_t stride,
                          char *error, size_t error_size);
/* Writes the directory and closes the file. Always frees the writer. */
int atlas_tiff_finish(atlas_tiff_writer *writer, char *error, size_t error_size);
void atlas_tiff_abandon(atlas_tiff_writer *writer);

/* What a TIFF declares, and its RGB samples widened to 16 bits (8-bit samples × 257): for tests and
   checks of written files. `samples` (width*height*3 values) may be NULL to read the tags alone. */
typedef struct {
    uint32_t width;
    uint32_t height;
    int bit_depth;
    int samples_per_pixel;
    int compression;        /* libtiff's code: 1 none, 5 LZW, 8 Deflate */
    int predictor;
    double x_resolution;
    int resolution_unit;
    uint32_t icc_profile_length;
} atlas_tiff_info;

int atlas_tiff_read(const char *path, atlas_tiff_info *info, uint16_t *samples, size_t capacity,
                    char *error, size_t error_size);
