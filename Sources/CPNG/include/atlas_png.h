#pragma once
#include <stddef.h>
#include <stdint.h>

/* A small PNG codec over libpng. libpng reports errors with longjmp, which Swift cannot catch,
   so every libpng call lives here behind setjmp and errors come back as a status plus message. */

typedef struct atlas_png_writer atlas_png_writer;

typedef struct {
    uint32_t width;
    uint32_t height;
    int bit_depth;          /* 8 or 16 */
    int channels;           /* 3 (RGB) or 4 (RGBA) */
    int compression_level;  /* 0..9 */
    int filter;             /* 0 = libpng's adaptive choice, 1 = none, 2 = sub, 3 = up, 4 = paeth */
    double dots_per_inch;   /* 0 = no pHYs chunk */
    int srgb;               /* write an sRGB chunk (perceptual intent) */
    const char *const *text_keys;   /* tEXt/iTXt chunks */
    const char *const *text_values;
    int text_count;
} atlas_png_options;

/* Opens `path` for writing and writes the header. NULL on failure with `error` filled. */
atlas_png_writer *atlas_png_writer_open(const char *path, const atlas_png_options *options,
                                        char *error, size_t error_size);
/* Writes `count` rows; 16-bit samples are given in native byte order. Returns 0 on success. */
int atlas_png_writer_write_rows(atlas_png_writer *writer, const void *rows, uint32_t count,
                                size_t row_stride, char *error, size_t error_size);
/* Writes the end chunk and closes the file. Returns 0 on success. Always frees the writer. */
int atlas_png_writer_finish(atlas_png_writer *writer, char *error, size_t error_size);
/* Frees a writer without finishing (on an error path). */
void atlas_png_writer_abandon(atlas_png_writer *writer);

typedef struct {
    uint32_t width;
    uint32_t height;
    int bit_depth;          /* of the file */
    int color_type;         /* of the file */
    double dots_per_inch;   /* 0 when absent */
    int has_srgb;
    uint8_t *rgba;          /* width*height*4 bytes, 8-bit RGBA, straight alpha; free with atlas_png_free */
    int borrowed;           /* rgba is the caller's buffer (not freed by atlas_png_free) */
    int text_count;
    char **text_keys;
    char **text_values;
} atlas_png_image;

/* Reads any PNG into 8-bit RGBA. Returns 0 on success. */
int atlas_png_read(const char *path, atlas_png_image *image, char *error, size_t error_size);
void atlas_png_free(atlas_png_image *image);

/* The fast path for the common case (8-bit RGB/RGBA, not interlaced, uncompressed text), inflating
   with libdeflate. Returns 0 on success, 1 on error (with `error` filled), 2 when the file needs
   the general reader. `into`, when not NULL, receives the pixels (width*height*4 bytes). */
int atlas_png_read_fast(const char *path, atlas_png_image *image, uint8_t *into, char *error, size_t error_size);
/* Width and height from the IHDR chunk at the start of the file. Returns 0 on success. */
int atlas_png_header(const char *path, uint32_t *width, uint32_t *height);
