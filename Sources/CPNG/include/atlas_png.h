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
    int filter;             /* 0 = adaptive (per row, libpng's heuristic), 1 = none, 2 = sub, 3 = up, 4 = average, 5 = paeth */
    double dots_per_inch;   /* 0 = no pHYs chunk */
    int srgb;               /* mark the image sRGB: an iCCP chunk when a profile is given, else an sRGB chunk */
    const uint8_t *icc_profile;     /* an ICC profile to embed (iCCP), or NULL */
    size_t icc_profile_length;
    const char *icc_name;           /* the iCCP profile name (1-79 Latin-1 characters) */
    const char *const *text_keys;   /* tEXt/iTXt chunks */
    const char *const *text_values;
    int text_count;
} atlas_png_options;

/* Opens `path` for writing and writes the signature and every chunk before the image data.
   NULL on failure with `error` filled. */
atlas_png_writer *atlas_png_writer_open(const char *path, const atlas_png_options *options,
                                        char *error, size_t error_size);

/* The image data is one zlib stream cut into independently deflated pieces (as pigz does): each
   piece is a run of rows, filtered and deflated on its own and ended on a byte boundary with a
   sync flush (the last with the final block), so pieces can be made on any thread and simply
   concatenated; the stream's Adler-32 is combined from the pieces'. */
typedef struct {
    uint8_t *data;          /* raw deflate bytes; free with atlas_png_piece_free */
    size_t length;
    uint32_t adler;         /* Adler-32 of the filtered bytes of this piece alone */
    size_t raw_length;      /* filtered bytes (rows × (1 + row bytes)) */
} atlas_png_piece;

/* Filters and deflates `count` rows of `row_bytes` bytes each, `row_stride` apart; `prior` is the
   row above the first (unfiltered, as given) or NULL at the top of the image. 16-bit samples are
   given in native byte order (`bit_depth` 16). Returns 0 on success. */
int atlas_png_deflate_rows(const uint8_t *rows, size_t row_stride, const uint8_t *prior, uint32_t count,
                           size_t row_bytes, int channels, int bit_depth, int filter, int level, int strategy, int last,
                           atlas_png_piece *piece, char *error, size_t error_size);
void atlas_png_piece_free(atlas_png_piece *piece);
/* The Adler-32 of two byte runs one after the other, from each run's own. */
uint32_t atlas_png_adler32_combine(uint32_t first, uint32_t second, size_t second_length);

/* Appends bytes of the image data's zlib stream (IDAT chunks of up to 256 KiB). */
int atlas_png_writer_write_data(atlas_png_writer *writer, const uint8_t *data, size_t length,
                                char *error, size_t error_size);
/* Writes the last image data and the end chunk, and closes the file. Returns 0 on success.
   Always frees the writer. */
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
    int has_iccp;           /* an embedded ICC profile */
    char icc_name[80];      /* its name, when present */
    uint8_t *rgba;          /* width*height*4 bytes, 8-bit RGBA, straight alpha; free with atlas_png_free */
    int borrowed;           /* rgba is the caller's buffer (not freed by atlas_png_free) */
    int text_count;
    char **text_keys;
    char **text_values;
} atlas_png_image;

/* Reads any PNG into 8-bit RGBA. Returns 0 on success; refuses (status 1, before allocating) an
   image of more than `max_pixels` pixels when that is not 0. */
int atlas_png_read(const char *path, atlas_png_image *image, uint64_t max_pixels, char *error, size_t error_size);
void atlas_png_free(atlas_png_image *image);

/* The fast path for the common case (8-bit RGB/RGBA, not interlaced, uncompressed text), inflating
   with libdeflate. Returns 0 on success, 1 on error (with `error` filled), 2 when the file needs
   the general reader. `into`, when not NULL, receives the pixels and holds `capacity` bytes: a file
   whose header declares more than that (it changed since the caller sized the buffer) is an error.
   Without `into`, images over `capacity` pixels × 4 bytes are refused when `capacity` is not 0. */
int atlas_png_read_fast(const char *path, atlas_png_image *image, uint8_t *into, size_t capacity,
                        char *error, size_t error_size);
/* Width and height from the IHDR chunk at the start of the file. Returns 0 on success. */
int atlas_png_header(const char *path, uint32_t *width, uint32_t *height);

/* Reads a PNG's rows in order, a few at a time, as 8-bit RGBA: the file is read in pieces and its
   image data inflated as a stream (zlib), so memory stays at about a megabyte whatever the image
   size. 8-bit RGB/RGBA files take that path; any other PNG goes through libpng's row reader with
   atlas_png_read's transformations, except that an interlaced file (whose Adam7 passes each cover
   the whole image) is read whole at open. Refuses, before allocating anything for the pixels, a
   file declaring more than `max_pixels` pixels (when not 0). NULL on failure with `error` filled. */
typedef struct atlas_png_reader atlas_png_reader;
atlas_png_reader *atlas_png_reader_open(const char *path, uint64_t max_pixels, uint32_t *width, uint32_t *height,
                                        char *error, size_t error_size);
/* The next `count` rows, each width × 4 bytes, `row_stride` bytes apart. Returns 0 on success. */
int atlas_png_reader_read(atlas_png_reader *reader, uint8_t *rows, size_t row_stride, uint32_t count,
                          char *error, size_t error_size);
void atlas_png_reader_close(atlas_png_reader *reader);
