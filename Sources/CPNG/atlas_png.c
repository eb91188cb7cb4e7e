#include "atlas_png.h"
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

struct atlas_png_writer {
    FILE *file;
    png_structp png;
    png_infop info;
    int started;            /* image data has been written */
    uint8_t *pending;       /* image data not yet written as an IDAT chunk */
    size_t pending_length;
    char message[256];
};

/* IDAT chunks of up to this many bytes. */
enum { IDAT_CHUNK = 1 << 18 };

static void on_error(png_structp png, png_const_charp msg) {
    char *buffer = (char *)png_get_error_ptr(png);
    if (buffer) snprintf(buffer, 256, "%s", msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg) { (void)png; (void)msg; }

static void set_error(char *error, size_t size, const char *what, const char *detail) {
    if (error && size) snprintf(error, size, "%s%s%s", what, detail && *detail ? ": " : "", detail ? detail : "");
}

static int little_endian(void) { uint16_t v = 1; return *(uint8_t *)&v == 1; }

atlas_png_writer *atlas_png_writer_open(const char *path, const atlas_png_options *o, char *error, size_t error_size) {
    atlas_png_writer *w = calloc(1, sizeof *w);
    if (!w) { set_error(error, error_size, "out of memory", NULL); return NULL; }
    w->pending = malloc(IDAT_CHUNK);
    if (!w->pending) { set_error(error, error_size, "out of memory", NULL); free(w); return NULL; }
    w->file = fopen(path, "wb");
    if (!w->file) { set_error(error, error_size, "cannot open for writing", strerror(errno)); free(w->pending); free(w); return NULL; }
    w->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, w->message, on_error, on_warning);
    w->info = w->png ? png_create_info_struct(w->png) : NULL;
    if (!w->png || !w->info) {
        set_error(error, error_size, "libpng could not start", NULL);
        atlas_png_writer_abandon(w);
        return NULL;
    }
    png_text *volatile texts = NULL;
    if (setjmp(png_jmpbuf(w->png))) {
        set_error(error, error_size, "libpng failed writing the header", w->message);
        free(texts);
        atlas_png_writer_abandon(w);
        return NULL;
    }
    png_init_io(w->png, w->file);
    int color = o->channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB;
    png_set_IHDR(w->png, w->info, o->width, o->height, o->bit_depth, color, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (o->dots_per_inch > 0) {
        png_uint_32 ppm = (png_uint_32)(o->dots_per_inch / 0.0254 + 0.5);
        png_set_pHYs(w->png, w->info, ppm, ppm, PNG_RESOLUTION_METER);
    }
    if (o->srgb) {
        /* libpng writes iCCP instead of sRGB when both are set; gAMA and cHRM go with either. */
        png_set_sRGB_gAMA_and_cHRM(w->png, w->info, PNG_sRGB_INTENT_PERCEPTUAL);
        if (o->icc_profile && o->icc_profile_length > 0) {
            png_set_benign_errors(w->png, 1);
            png_set_iCCP(w->png, w->info, o->icc_name ? o->icc_name : "sRGB", PNG_COMPRESSION_TYPE_BASE,
                         o->icc_profile, (png_uint_32)o->icc_profile_length);
        }
    }
    if (o->text_count > 0) {
        texts = calloc((size_t)o->text_count, sizeof(png_text));
        if (!texts) png_error(w->png, "out of memory");
        for (int i = 0; i < o->text_count; i++) {
            /* iTXt carries UTF-8 values; keys are Latin-1 keywords. */
            texts[i].compression = PNG_ITXT_COMPRESSION_NONE;
            texts[i].key = (png_charp)o->text_keys[i];
            texts[i].text = (png_charp)o->text_values[i];
            texts[i].lang = NULL;
            texts[i].lang_key = NULL;
        }
        png_set_text(w->png, w->info, texts, o->text_count);
        free(texts);
        texts = NULL;
    }
    png_write_info(w->png, w->info);
    if (ferror(w->file)) {
        set_error(error, error_size, "write failed", strerror(errno));
        atlas_png_writer_abandon(w);
        return NULL;
    }
    return w;
}

/* Writes the pending bytes as one IDAT chunk. */
static int flush_idat(atlas_png_writer *w, char *error, size_t error_size) {
    if (w->pending_length == 0) return 0;
    if (setjmp(png_jmpbuf(w->png))) {
        set_error(error, error_size, "libpng failed writing image data", w->message);
        return 1;
    }
    png_write_chunk(w->png, (png_const_bytep)"IDAT", w->pending, w->pending_length);
    w->pending_length = 0;
    if (ferror(w->file)) { set_error(error, error_size, "write failed", strerror(errno)); return 1; }
    return 0;
}

static int append_data(atlas_png_writer *w, const uint8_t *data, size_t length, char *error, size_t error_size) {
    while (length > 0) {
        size_t n = IDAT_CHUNK - w->pending_length;
        if (n > length) n = length;
        memcpy(w->pending + w->pending_length, data, n);
        w->pending_length += n;
        data += n;
        length -= n;
        if (w->pending_length == IDAT_CHUNK && flush_idat(w, error, error_size)) return 1;
    }
    return 0;
}

int atlas_png_writer_write_data(atlas_png_writer *w, const uint8_t *data, size_t length, char *error, size_t error_size) {
    if (length) w->started = 1;
    return append_data(w, data, length, error, error_size);
}

int atlas_png_writer_finish(atlas_png_writer *w, char *error, size_t error_size) {
    int status = 0;
    if (!w->started) { set_error(error, error_size, "no image data was written", NULL); status = 1; }
    if (!status) status = flush_idat(w, error, error_size);
    if (!status) {
        if (setjmp(png_jmpbuf(w->png))) {
            set_error(error, error_size, "libpng failed finishing the file", w->message);
            status = 1;
        } else {
            png_write_chunk(w->png, (png_const_bytep)"IEND", NULL, 0);
        }
    }
    png_destroy_write_struct(&w->png, &w->info);
    if (fflush(w->file) != 0 || ferror(w->file)) {
        if (!status) set_error(error, error_size, "write failed", strerror(errno));
        status = 1;
    }
    if (fclose(w->file) != 0 && !status) { set_error(error, error_size, "close failed", strerror(errno)); status = 1; }
    free(w->pending);
    free(w);
    return status;
}

void atlas_png_writer_abandon(atlas_png_writer *w) {
    if (!w) return;
    if (w->png) png_destroy_write_struct(&w->png, w->info ? &w->info : NULL);
    if (w->file) fclose(w->file);
    free(w->pending);
    free(w);
}

/* ---- Filtering and deflating pieces of the image data ---- */

#include <zlib.h>

static int paeth(int a, int b, int c);

/* One row filtered with `type` (1..5 as in atlas_png_options, i.e. PNG type + 1) into out[1...]. */
static void filter_row(uint8_t *out, const uint8_t *row, const uint8_t *prior, size_t n, size_t bpp, int type) {
    out[0] = (uint8_t)(type - 1);
    uint8_t *d = out + 1;
    switch (type) {
    case 1: memcpy(d, row, n); break;
    case 2:
        for (size_t i = 0; i < n; i++) d[i] = (uint8_t)(row[i] - (i >= bpp ? row[i - bpp] : 0));
        break;
    case 3:
        for (size_t i = 0; i < n; i++) d[i] = (uint8_t)(row[i] - (prior ? prior[i] : 0));
        break;
    case 4:
        for (size_t i = 0; i < n; i++) {
            int left = i >= bpp ? row[i - bpp] : 0, up = prior ? prior[i] : 0;
            d[i] = (uint8_t)(row[i] - ((left + up) >> 1));
        }
        break;
    default:
        for (size_t i = 0; i < n; i++) {
            int left = i >= bpp ? row[i - bpp] : 0, up = prior ? prior[i] : 0;
            int upleft = (prior && i >= bpp) ? prior[i - bpp] : 0;
            d[i] = (uint8_t)(row[i] - paeth(left, up, upleft));
        }
        break;
    }
}

/* libpng's heuristic: the filter whose output, read as signed bytes, has the smallest absolute sum. */
static uint64_t signed_sum(const uint8_t *d, size_t n) {
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) sum += d[i] < 128 ? d[i] : 256 - d[i];
    return sum;
}

int atlas_png_deflate_rows(const uint8_t *rows, size_t row_stride, const uint8_t *prior, uint32_t count,
                           size_t row_bytes, int channels, int bit_depth, int filter, int level, int strategy, int last,
                           atlas_png_piece *piece, char *error, size_t error_size) {
    memset(piece, 0, sizeof *piece);
    size_t bpp = (size_t)channels * (size_t)(bit_depth / 8);
    size_t line = row_bytes + 1;
    size_t raw_length = line * count;
    if (raw_length > (size_t)1 << 30) { set_error(error, error_size, "too many rows in one piece", NULL); return 1; }
    int swap = bit_depth == 16 && little_endian();
    uint8_t *raw = malloc(raw_length ? raw_length : 1);
    /* Rows in file byte order: the current and previous one (big-endian 16-bit samples). */
    uint8_t *current = swap ? malloc(row_bytes) : NULL, *previous = swap ? malloc(row_bytes) : NULL;
    uint8_t *trial = filter == 0 ? malloc(line * 4) : NULL;
    if (!raw || (swap && (!current || !previous)) || (filter == 0 && !trial)) {
        free(raw); free(current); free(previous); free(trial);
        set_error(error, error_size, "out of memory", NULL);
        return 1;
    }
    if (swap && prior) {
        for (size_t i = 0; i < row_bytes; i += 2) { previous[i] = prior[i + 1]; previous[i + 1] = prior[i]; }
    }
    const uint8_t *above = swap ? (prior ? previous : NULL) : prior;
    for (uint32_t y = 0; y < count; y++) {
        const uint8_t *row = rows + (size_t)y * row_stride;
        if (swap) {
            for (size_t i = 0; i < row_bytes; i += 2) { current[i] = row[i + 1]; current[i + 1] = row[i]; }
            row = current;
        }
        uint8_t *out = raw + (size_t)y * line;
        if (filter == 0) {
            /* Try every filter; keep the one with the smallest signed sum (ties to the simpler). */
            filter_row(out, row, above, row_bytes, bpp, 1);
            uint64_t best = signed_sum(out + 1, row_bytes);
            int best_type = 1;
            for (int type = 2; type <= 5; type++) {
                uint8_t *t = trial + (size_t)(type - 2) * line;
                filter_row(t, row, above, row_bytes, bpp, type);
                uint64_t sum = signed_sum(t + 1, row_bytes);
                if (sum < best) { best = sum; best_type = type; }
            }
            if (best_type != 1) memcpy(out, trial + (size_t)(best_type - 2) * line, line);
        } else {
            filter_row(out, row, above, row_bytes, bpp, filter);
        }
        if (swap) { uint8_t *t = previous; previous = current; current = t; above = previous; }
        else above = row;
    }
    free(current); free(previous); free(trial);

    z_stream z;
    memset(&z, 0, sizeof z);
    /* 0: zlib's filtered strategy for filtered rows (libpng's choice), its default for unfiltered
       ones; 1: runs only (Z_RLE); 2: Huffman codes only. */
    int zstrategy = strategy == 1 ? Z_RLE : strategy == 2 ? Z_HUFFMAN_ONLY : filter == 1 ? Z_DEFAULT_STRATEGY : Z_FILTERED;
    if (deflateInit2(&z, level, Z_DEFLATED, -15, 8, zstrategy) != Z_OK) {
        free(raw);
        set_error(error, error_size, "zlib could not start", NULL);
        return 1;
    }
    size_t bound = deflateBound(&z, (uLong)raw_length) + 64;
    uint8_t *out = malloc(bound);
    if (!out) { deflateEnd(&z); free(raw); set_error(error, error_size, "out of memory", NULL); return 1; }
    z.next_in = raw;
    z.avail_in = (uInt)raw_length;
    z.next_out = out;
    z.avail_out = (uInt)bound;
    int r = deflate(&z, last ? Z_FINISH : Z_SYNC_FLUSH);
    int ok = last ? r == Z_STREAM_END : (r == Z_OK && z.avail_in == 0);
    size_t produced = bound - z.avail_out;
    deflateEnd(&z);
    if (!ok) { free(out); free(raw); set_error(error, error_size, "zlib failed compressing rows", z.msg); return 1; }
    piece->data = out;
    piece->length = produced;
    piece->raw_length = raw_length;
    piece->adler = (uint32_t)adler32(adler32(0, Z_NULL, 0), raw, (uInt)raw_length);
    free(raw);
    return 0;
}

void atlas_png_piece_free(atlas_png_piece *piece) {
    free(piece->data);
    piece->data = NULL;
    piece->length = 0;
}

uint32_t atlas_png_adler32_combine(uint32_t first, uint32_t second, size_t second_length) {
    return (uint32_t)adler32_combine(first, second, (z_off_t)second_length);
}

int atlas_png_read(const char *path, atlas_png_image *image, uint64_t max_pixels, char *error, size_t error_size) {
    memset(image, 0, sizeof *image);
    FILE *file = fopen(path, "rb");
    if (!file) { set_error(error, error_size, "cannot open", strerror(errno)); return 1; }
    uint8_t signature[8];
    if (fread(signature, 1, 8, file) != 8 || png_sig_cmp(signature, 0, 8) != 0) {
        set_error(error, error_size, "not a PNG file", NULL);
        fclose(file);
        return 1;
    }
    char message[256] = {0};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, message, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    /* Assigned after setjmp and read on the longjmp path: volatile so the jump sees the store. */
    png_bytep *volatile row_pointers = NULL;
    if (!png || !info) {
        set_error(error, error_size, "libpng could not start", NULL);
        if (png) png_destroy_read_struct(&png, NULL, NULL);
        fclose(file);
        return 1;
    }
    if (setjmp(png_jmpbuf(png))) {
        set_error(error, error_size, "corrupt PNG", message);
        free(row_pointers);
        atlas_png_free(image);
        png_destroy_read_struct(&png, &info, NULL);
        fclose(file);
        return 1;
    }
    png_init_io(png, file);
    png_set_sig_bytes(png, 8);
    /* libpng's own default limit is 1 000 000 pixels a side; the caller's pixel limit applies instead. */
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_read_info(png, info);
    image->width = png_get_image_width(png, info);
    image->height = png_get_image_height(png, info);
    image->bit_depth = png_get_bit_depth(png, info);
    image->color_type = png_get_color_type(png, info);
    if (max_pixels && (uint64_t)image->width * image->height > max_pixels) {
        char detail[160];
        snprintf(detail, sizeof detail, "the header declares %u×%u pixels, more than the limit of %llu",
                 image->width, image->height, (unsigned long long)max_pixels);
        set_error(error, error_size, "refused", detail);
        png_destroy_read_struct(&png, &info, NULL);
        fclose(file);
        return 1;
    }
    if ((uint64_t)image->width * image->height * 4 > SIZE_MAX / 2) png_error(png, "image too large for memory");
    png_uint_32 rx, ry; int unit;
    if (png_get_pHYs(png, info, &rx, &ry, &unit) && unit == PNG_RESOLUTION_METER) image->dots_per_inch = rx * 0.0254;
    int intent;
    image->has_srgb = png_get_sRGB(png, info, &intent) != 0;
    png_charp icc_name; int icc_compression; png_bytep icc_data; png_uint_32 icc_length;
    if (png_get_iCCP(png, info, &icc_name, &icc_compression, &icc_data, &icc_length)) {
        image->has_iccp = 1;
        snprintf(image->icc_name, sizeof image->icc_name, "%s", icc_name);
    }
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_gray_to_rgb(png);
    png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t stride = (size_t)image->width * 4;
    image->rgba = malloc(stride * image->height);
    row_pointers = malloc(sizeof(png_bytep) * image->height);
    if (!image->rgba || !row_pointers) png_error(png, "out of memory");
    for (uint32_t y = 0; y < image->height; y++) row_pointers[y] = image->rgba + y * stride;
    png_read_image(png, row_pointers);
    png_read_end(png, info);
    png_textp texts; int n = 0;
    if (png_get_text(png, info, &texts, &n) && n > 0) {
        image->text_keys = calloc((size_t)n, sizeof(char *));
        image->text_values = calloc((size_t)n, sizeof(char *));
        if (!image->text_keys || !image->text_values) png_error(png, "out of memory");
        for (int i = 0; i < n; i++) {
            image->text_keys[i] = strdup(texts[i].key);
            image->text_values[i] = strdup(texts[i].text ? texts[i].text : "");
            image->text_count = i + 1;
            if (!image->text_keys[i] || !image->text_values[i]) png_error(png, "out of memory");
        }
    }
    free(row_pointers);
    png_destroy_read_struct(&png, &info, NULL);
    fclose(file);
    return 0;
}

void atlas_png_free(atlas_png_image *image) {
    if (!image->borrowed) free(image->rgba);
    image->rgba = NULL;
    for (int i = 0; i < image->text_count; i++) {
        if (image->text_keys) free(image->text_keys[i]);
        if (image->text_values) free(image->text_values[i]);
    }
    free(image->text_keys);
    free(image->text_values);
    image->text_keys = image->text_values = NULL;
    image->text_count = 0;
}

/* ---- Fast path: 8-bit RGB/RGBA, not interlaced, decoded with libdeflate ---- */

#include <libdeflate.h>

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static int paeth(int a, int b, int c) {
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
}

/* Paeth for 4-byte pixels, the four channels at once in 16-bit lanes (the only filter whose
   scalar form is slow: the left neighbour makes each row a serial chain). */
typedef int16_t lanes4 __attribute__((vector_size(8)));

static void unpaeth4(uint8_t *row, const uint8_t *prior, size_t stride) {
    lanes4 a = {0, 0, 0, 0}, c = {0, 0, 0, 0};
    for (size_t i = 0; i < stride; i += 4) {
        lanes4 b = {0, 0, 0, 0};
        if (prior) b = (lanes4){prior[i], prior[i + 1], prior[i + 2], prior[i + 3]};
        lanes4 pa = b - c, pb = a - c, pc = pa + pb;
        pa = (pa ^ (pa >> 15)) - (pa >> 15);
        pb = (pb ^ (pb >> 15)) - (pb >> 15);
        pc = (pc ^ (pc >> 15)) - (pc >> 15);
        lanes4 pick_a = (pa <= pb) & (pa <= pc);
        lanes4 pick_b = ~pick_a & (pb <= pc);
        lanes4 predictor = (pick_a & a) | (pick_b & b) | (~pick_a & ~pick_b & c);
        lanes4 x = {row[i], row[i + 1], row[i + 2], row[i + 3]};
        x = (x + predictor) & 0xff;
        row[i] = (uint8_t)x[0]; row[i + 1] = (uint8_t)x[1]; row[i + 2] = (uint8_t)x[2]; row[i + 3] = (uint8_t)x[3];
        a = x;
        c = b;
    }
}

/* Average for 4-byte pixels, the four channels at once (like unpaeth4: the left neighbour makes
   the scalar loop a serial chain per byte). */
static void unaverage4(uint8_t *row, const uint8_t *prior, size_t stride) {
    lanes4 a = {0, 0, 0, 0};
    for (size_t i = 0; i < stride; i += 4) {
        lanes4 b = {0, 0, 0, 0};
        if (prior) b = (lanes4){prior[i], prior[i + 1], prior[i + 2], prior[i + 3]};
        lanes4 x = {row[i], row[i + 1], row[i + 2], row[i + 3]};
        x = (x + ((a + b) >> 1)) & 0xff;
        row[i] = (uint8_t)x[0]; row[i + 1] = (uint8_t)x[1]; row[i + 2] = (uint8_t)x[2]; row[i + 3] = (uint8_t)x[3];
        a = x;
    }
}

/* Reverses one row's PNG filter in place: `row` holds the filtered bytes (without the type byte),
   `prior` the unfiltered row above (NULL on the first row). Returns 0, or 1 for an unknown type. */
static int unfilter_row(uint8_t *row, const uint8_t *prior, size_t stride, int bpp, int type) {
    switch (type) {
    case 0: break;
    case 1: for (size_t i = (size_t)bpp; i < stride; i++) row[i] = (uint8_t)(row[i] + row[i - bpp]); break;
    case 2: if (prior) for (size_t i = 0; i < stride; i++) row[i] = (uint8_t)(row[i] + prior[i]); break;
    case 3:
        if (bpp == 4) { unaverage4(row, prior, stride); break; }
        for (size_t i = 0; i < stride; i++) {
            int left = i >= (size_t)bpp ? row[i - bpp] : 0, up = prior ? prior[i] : 0;
            row[i] = (uint8_t)(row[i] + ((left + up) >> 1));
        }
        break;
    case 4:
        if (bpp == 4) { unpaeth4(row, prior, stride); break; }
        for (size_t i = 0; i < stride; i++) {
            int left = i >= (size_t)bpp ? row[i - bpp] : 0, up = prior ? prior[i] : 0;
            int upleft = (prior && i >= (size_t)bpp) ? prior[i - bpp] : 0;
            row[i] = (uint8_t)(row[i] + paeth(left, up, upleft));
        }
        break;
    default: return 1;
    }
    return 0;
}

/* One unfiltered 8-bit row to RGBA: RGB gets an opaque alpha; RGBA is copied when not in place. */
static void expand_rgba(uint8_t *out, const uint8_t *row, uint32_t width, int channels) {
    if (channels == 4) { if (out != row) memcpy(out, row, (size_t)width * 4); return; }
    for (uint32_t x = 0; x < width; x++) {
        out[x * 4] = row[x * 3]; out[x * 4 + 1] = row[x * 3 + 1]; out[x * 4 + 2] = row[x * 3 + 2]; out[x * 4 + 3] = 255;
    }
}

static int add_text(atlas_png_image *image, const char *key, size_t key_len, const char *value, size_t value_len) {
    char **keys = realloc(image->text_keys, sizeof(char *) * (size_t)(image->text_count + 1));
    if (!keys) return 1;
    image->text_keys = keys;
    char **values = realloc(image->text_values, sizeof(char *) * (size_t)(image->text_count + 1));
    if (!values) return 1;
    image->text_values = values;
    keys[image->text_count] = strndup(key, key_len);
    values[image->text_count] = strndup(value, value_len);
    image->text_count++;   /* counted even when half made, so atlas_png_free frees what was */
    return keys[image->text_count - 1] && values[image->text_count - 1] ? 0 : 1;
}

int atlas_png_header(const char *path, uint32_t *width, uint32_t *height) {
    uint8_t head[24];
    FILE *file = fopen(path, "rb");
    if (!file) return 1;
    size_t n = fread(head, 1, sizeof head, file);
    fclose(file);
    if (n != sizeof head || memcmp(head + 12, "IHDR", 4) != 0) return 1;
    *width = be32(head + 16);
    *height = be32(head + 20);
    return 0;
}

int atlas_png_read_fast(const char *path, atlas_png_image *image, uint8_t *into, size_t capacity,
                        char *error, size_t error_size) {
    memset(image, 0, sizeof *image);
    FILE *file = fopen(path, "rb");
    if (!file) { set_error(error, error_size, "cannot open", strerror(errno)); return 1; }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    uint8_t *bytes = size > 0 ? malloc((size_t)size) : NULL;
    if (!bytes || fread(bytes, 1, (size_t)size, file) != (size_t)size) {
        free(bytes);
        fclose(file);
        set_error(error, error_size, "cannot read", NULL);
        return 1;
    }
    fclose(file);
    static const uint8_t signature[8] = {137, 80, 78, 71, 13, 10, 26, 10};
    int status = 2; /* 2 = not for the fast path: let libpng read it */
    uint8_t *idat = NULL, *raw = NULL;
    size_t idat_len = 0, idat_cap = 0;
    int channels = 0;
    if (size < 8 || memcmp(bytes, signature, 8) != 0) { set_error(error, error_size, "not a PNG file", NULL); status = 1; goto done; }
    size_t at = 8;
    int seen_header = 0, seen_end = 0;
    while (at + 12 <= (size_t)size) {
        uint32_t len = be32(bytes + at);
        const uint8_t *type = bytes + at + 4, *data = bytes + at + 8;
        if (len > (size_t)size - at - 12) { set_error(error, error_size, "corrupt PNG", "chunk runs past the end of the file"); status = 1; goto done; }
        if (libdeflate_crc32(0, type, len + 4) != be32(data + len)) {
            set_error(error, error_size, "corrupt PNG", "chunk CRC mismatch"); status = 1; goto done;
        }
        if (!memcmp(type, "IHDR", 4) && len == 13) {
            image->width = be32(data);
            image->height = be32(data + 4);
            image->bit_depth = data[8];
            image->color_type = data[9];
            if (data[8] != 8 || (data[9] != 2 && data[9] != 6) || data[12] != 0 || image->width == 0 || image->height == 0) goto done;
            channels = data[9] == 6 ? 4 : 3;
            seen_header = 1;
        } else if (!memcmp(type, "IDAT", 4)) {
            if (idat_len + len > idat_cap) {
                idat_cap = (idat_len + len) * 2;
                uint8_t *grown = realloc(idat, idat_cap);
                if (!grown) { set_error(error, error_size, "out of memory", NULL); status = 1; goto done; }
                idat = grown;
            }
            memcpy(idat + idat_len, data, len);
            idat_len += len;
        } else if (!memcmp(type, "pHYs", 4) && len == 9) {
            if (data[8] == 1) image->dots_per_inch = be32(data) * 0.0254;
        } else if (!memcmp(type, "sRGB", 4)) {
            image->has_srgb = 1;
        } else if (!memcmp(type, "iCCP", 4)) {
            const uint8_t *nul = memchr(data, 0, len < 80 ? len : 80);
            if (nul) { image->has_iccp = 1; memcpy(image->icc_name, data, (size_t)(nul - data) + 1); }
        } else if (!memcmp(type, "tEXt", 4)) {
            const uint8_t *nul = memchr(data, 0, len);
            if (nul && add_text(image, (const char *)data, (size_t)(nul - data), (const char *)nul + 1, len - (size_t)(nul - data) - 1)) goto oom;
        } else if (!memcmp(type, "iTXt", 4)) {
            const uint8_t *nul = memchr(data, 0, len);
            if (!nul || (size_t)(nul - data) + 3 > len || nul[1] != 0) goto done; /* compressed text: libpng */
            const uint8_t *lang = nul + 3, *end = data + len;
            const uint8_t *lang_end = memchr(lang, 0, (size_t)(end - lang));
            if (!lang_end) goto done;
            const uint8_t *translated_end = memchr(lang_end + 1, 0, (size_t)(end - lang_end - 1));
            if (!translated_end) goto done;
            if (add_text(image, (const char *)data, (size_t)(nul - data), (const char *)translated_end + 1, (size_t)(end - translated_end - 1))) goto oom;
        } else if (!memcmp(type, "zTXt", 4)) {
            goto done;
        } else if (!memcmp(type, "IEND", 4)) {
            seen_end = 1;
            break;
        }
        at += 12 + len;
    }
    if (!seen_header || !seen_end) {
        if (seen_header) { set_error(error, error_size, "corrupt PNG", "the file ends before IEND"); status = 1; }
        goto done;
    }
    uint64_t need = (uint64_t)image->width * image->height * 4;
    if ((capacity && need > capacity) || need > SIZE_MAX / 2) {
        char detail[160];
        snprintf(detail, sizeof detail, "the header declares %u×%u pixels, more than the %zu bytes %s", image->width, image->height,
                 capacity, into ? "made ready for it (the file changed while being read?)" : "allowed");
        set_error(error, error_size, "refused", detail);
        status = 1;
        goto done;
    }
    size_t stride = (size_t)image->width * (size_t)channels;
    size_t raw_len = (stride + 1) * image->height;
    raw = malloc(raw_len);
    image->rgba = into ? into : malloc((size_t)image->width * image->height * 4);
    image->borrowed = into != NULL;
    if (!raw || !image->rgba) goto oom;
    struct libdeflate_decompressor *inflater = libdeflate_alloc_decompressor();
    if (!inflater) goto oom;
    size_t actual = 0;
    enum libdeflate_result r = libdeflate_zlib_decompress(inflater, idat, idat_len, raw, raw_len, &actual);
    libdeflate_free_decompressor(inflater);
    if (r != LIBDEFLATE_SUCCESS || actual != raw_len) { set_error(error, error_size, "corrupt PNG", "image data does not inflate to the image size"); status = 1; goto done; }
    for (uint32_t y = 0; y < image->height; y++) {
        uint8_t *out = image->rgba + (size_t)y * image->width * 4;
        const uint8_t *in = raw + y * (stride + 1) + 1;
        int type = in[-1];
        if (channels == 4) {
            /* RGBA rows are laid out as the output: unfilter straight into it. */
            memcpy(out, in, stride);
            if (unfilter_row(out, y > 0 ? out - stride : NULL, stride, 4, type)) goto bad_filter;
        } else {
            uint8_t *row = raw + y * (stride + 1) + 1;
            if (unfilter_row(row, y > 0 ? row - (stride + 1) : NULL, stride, 3, type)) goto bad_filter;
            expand_rgba(out, row, image->width, 3);
        }
    }
    status = 0;
    goto done;
bad_filter:
    set_error(error, error_size, "corrupt PNG", "unknown row filter");
    status = 1;
    goto done;
oom:
    set_error(error, error_size, "out of memory", NULL);
    status = 1;
done:
    if (status != 0) atlas_png_free(image);
    free(idat);
    free(raw);
    free(bytes);
    return status;
}

/* ---- Streamed reading: rows in order, a few at a time ---- */

enum { STREAM_INPUT = 1 << 18 };

struct atlas_png_reader {
    FILE *file;
    uint32_t width, height, rows_read;
    int channels;               /* of the file (fast path) */
    size_t stride;              /* bytes of one unfiltered file row (fast path) */
    /* Fast path: the file's chunks read as they come, IDAT data inflated as a stream. */
    z_stream zs;
    int zs_ready, zs_ended;
    int header_left;            /* bytes of the 2-byte zlib header not yet read */
    uint8_t header[2];
    uint32_t idat_left;         /* bytes of the current IDAT chunk not yet read */
    uint32_t idat_crc;          /* CRC of the current IDAT chunk so far */
    int in_idat;                /* an IDAT chunk has been started and its CRC not yet checked */
    uint8_t *input;             /* STREAM_INPUT bytes */
    uint8_t *filtered;          /* `batch` rows of 1 + stride bytes */
    uint32_t batch;
    uint8_t *prior;             /* the last unfiltered row (stride bytes) */
    int has_prior;
    /* libpng path (any other PNG) */
    png_structp png;
    png_infop info;
    uint8_t *whole;             /* interlaced files: the whole image, read at open */
    char message[256];
};

/* The next bytes of image data into zs's input, across IDAT chunks (checking each one's CRC).
   Returns 0, or 1 with `error` filled. At the end of the image data avail_in stays 0. */
static int stream_refill(atlas_png_reader *r, char *error, size_t error_size) {
    while (r->idat_left == 0) {
        uint8_t head[8];
        if (r->zs.avail_in > 0) return 0;
        if (r->in_idat) {
            /* Finish the previous IDAT chunk: its CRC follows the data. */
            uint8_t crc[4];
            if (fread(crc, 1, 4, r->file) != 4) { set_error(error, error_size, "corrupt PNG", "the file ends inside the image data"); return 1; }
            if (be32(crc) != r->idat_crc) { set_error(error, error_size, "corrupt PNG", "chunk CRC mismatch"); return 1; }
            r->in_idat = 0;
        }
        if (fread(head, 1, 8, r->file) != 8) { set_error(error, error_size, "corrupt PNG", "the file ends inside the image data"); return 1; }
        uint32_t len = be32(head);
        if (len > 0x7fffffffu) { set_error(error, error_size, "corrupt PNG", "chunk length out of range"); return 1; }
        if (memcmp(head + 4, "IDAT", 4) != 0) {
            if (!memcmp(head + 4, "IEND", 4)) return 0; /* no more image data */
            /* A chunk between or after the image data: skip it (and its CRC). */
            if (fseek(r->file, (long)len + 4, SEEK_CUR) != 0) { set_error(error, error_size, "corrupt PNG", "chunk runs past the end of the file"); return 1; }
            continue;
        }
        r->idat_left = len;
        r->idat_crc = (uint32_t)libdeflate_crc32(0, head + 4, 4);
        r->in_idat = 1;
        if (len == 0) continue;
    }
    size_t n = r->idat_left < STREAM_INPUT ? r->idat_left : STREAM_INPUT;
    if (fread(r->input, 1, n, r->file) != n) { set_error(error, error_size, "corrupt PNG", "the file ends inside the image data"); return 1; }
    r->idat_crc = (uint32_t)libdeflate_crc32(r->idat_crc, r->input, n);
    r->idat_left -= (uint32_t)n;
    r->zs.next_in = r->input;
    r->zs.avail_in = (uInt)n;
    return 0;
}

/* Inflates exactly `length` bytes into `out`. */
static int stream_inflate(atlas_png_reader *r, uint8_t *out, size_t length, char *error, size_t error_size) {
    r->zs.next_out = out;
    r->zs.avail_out = (uInt)length;
    while (r->header_left > 0) {
        if (r->zs.avail_in == 0) {
            if (stream_refill(r, error, error_size)) return 1;
            if (r->zs.avail_in == 0) { set_error(error, error_size, "corrupt PNG", "no image data"); return 1; }
        }
        r->header[2 - r->header_left--] = *r->zs.next_in++;
        r->zs.avail_in--;
        if (r->header_left == 0 && ((r->header[0] & 0x0f) != 8 || (r->header[0] * 256 + r->header[1]) % 31 != 0 || (r->header[1] & 0x20))) {
            set_error(error, error_size, "corrupt PNG", "the image data is not a zlib stream");
            return 1;
        }
    }
    while (r->zs.avail_out > 0) {
        if (r->zs.avail_in == 0) {
            if (stream_refill(r, error, error_size)) return 1;
            if (r->zs.avail_in == 0) { set_error(error, error_size, "corrupt PNG", "image data ends before the last row"); return 1; }
        }
        int z = inflate(&r->zs, Z_NO_FLUSH);
        if (z == Z_STREAM_END) {
            r->zs_ended = 1;
            if (r->zs.avail_out > 0) { set_error(error, error_size, "corrupt PNG", "image data ends before the last row"); return 1; }
            break;
        }
        if (z != Z_OK) { set_error(error, error_size, "corrupt PNG", r->zs.msg ? r->zs.msg : "image data does not inflate"); return 1; }
    }
    return 0;
}

void atlas_png_reader_close(atlas_png_reader *r) {
    if (!r) return;
    if (r->zs_ready) inflateEnd(&r->zs);
    if (r->png) png_destroy_read_struct(&r->png, r->info ? &r->info : NULL, NULL);
    if (r->file) fclose(r->file);
    free(r->input);
    free(r->filtered);
    free(r->prior);
    free(r->whole);
    free(r);
}

/* libpng path: the same transformations as atlas_png_read. */
static int reader_open_libpng(atlas_png_reader *r, uint64_t max_pixels, char *error, size_t error_size) {
    rewind(r->file);
    r->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, r->message, on_error, on_warning);
    r->info = r->png ? png_create_info_struct(r->png) : NULL;
    if (!r->png || !r->info) { set_error(error, error_size, "libpng could not start", NULL); return 1; }
    if (setjmp(png_jmpbuf(r->png))) { set_error(error, error_size, "corrupt PNG", r->message); return 1; }
    png_init_io(r->png, r->file);
    png_set_user_limits(r->png, 0x7fffffff, 0x7fffffff);
    png_read_info(r->png, r->info);
    r->width = png_get_image_width(r->png, r->info);
    r->height = png_get_image_height(r->png, r->info);
    if (max_pixels && (uint64_t)r->width * r->height > max_pixels) {
        char detail[160];
        snprintf(detail, sizeof detail, "the header declares %u×%u pixels, more than the limit of %llu",
                 r->width, r->height, (unsigned long long)max_pixels);
        set_error(error, error_size, "refused", detail);
        return 1;
    }
    png_set_expand(r->png);
    png_set_strip_16(r->png);
    png_set_gray_to_rgb(r->png);
    png_set_add_alpha(r->png, 0xff, PNG_FILLER_AFTER);
    int passes = png_set_interlace_handling(r->png);
    png_read_update_info(r->png, r->info);
    if (passes > 1) {
        /* Adam7 passes each cover the whole image: read it all now, hand out rows later. */
        size_t stride = (size_t)r->width * 4;
        if ((uint64_t)stride * r->height > SIZE_MAX / 2) png_error(r->png, "image too large for memory");
        r->whole = malloc(stride * r->height);
        png_bytep *rows = r->whole ? malloc(sizeof(png_bytep) * r->height) : NULL;
        if (!rows) png_error(r->png, "out of memory");
        for (uint32_t y = 0; y < r->height; y++) rows[y] = r->whole + y * stride;
        png_read_image(r->png, rows);
        free(rows);
    }
    return 0;
}

static int reader_read_libpng(atlas_png_reader *r, uint8_t *rows, size_t row_stride, uint32_t count,
                              char *error, size_t error_size) {
    if (setjmp(png_jmpbuf(r->png))) { set_error(error, error_size, "corrupt PNG", r->message); return 1; }
    for (uint32_t y = 0; y < count; y++) {
        png_read_row(r->png, rows + (size_t)y * row_stride, NULL);
        r->rows_read++;
    }
    return 0;
}

atlas_png_reader *atlas_png_reader_open(const char *path, uint64_t max_pixels, uint32_t *width, uint32_t *height,
                                        char *error, size_t error_size) {
    atlas_png_reader *r = calloc(1, sizeof *r);
    if (!r) { set_error(error, error_size, "out of memory", NULL); return NULL; }
    r->file = fopen(path, "rb");
    if (!r->file) { set_error(error, error_size, "cannot open", strerror(errno)); atlas_png_reader_close(r); return NULL; }
    static const uint8_t signature[8] = {137, 80, 78, 71, 13, 10, 26, 10};
    uint8_t head[8 + 8 + 13 + 4];
    if (fread(head, 1, sizeof head, r->file) != sizeof head || memcmp(head, signature, 8) != 0
        || memcmp(head + 12, "IHDR", 4) != 0 || be32(head + 8) != 13) {
        set_error(error, error_size, "not a PNG file", "no PNG signature and header (IHDR) at the start");
        atlas_png_reader_close(r);
        return NULL;
    }
    const uint8_t *ihdr = head + 16;
    r->width = be32(ihdr);
    r->height = be32(ihdr + 4);
    if (r->width == 0 || r->height == 0 || r->width > 0x7fffffffu || r->height > 0x7fffffffu) {
        set_error(error, error_size, "corrupt PNG", "the header declares an empty or out-of-range size");
        atlas_png_reader_close(r);
        return NULL;
    }
    if (max_pixels && (uint64_t)r->width * r->height > max_pixels) {
        char detail[160];
        snprintf(detail, sizeof detail, "the header declares %u×%u pixels, more than the limit of %llu",
                 r->width, r->height, (unsigned long long)max_pixels);
        set_error(error, error_size, "refused", detail);
        atlas_png_reader_close(r);
        return NULL;
    }
    if ((uint32_t)libdeflate_crc32(0, head + 12, 17) != be32(head + 29)) {
        set_error(error, error_size, "corrupt PNG", "chunk CRC mismatch");
        atlas_png_reader_close(r);
        return NULL;
    }
    int fast = ihdr[8] == 8 && (ihdr[9] == 2 || ihdr[9] == 6) && ihdr[10] == 0 && ihdr[11] == 0 && ihdr[12] == 0;
    if (!fast) {
        if (reader_open_libpng(r, max_pixels, error, error_size)) { atlas_png_reader_close(r); return NULL; }
    } else {
        r->channels = ihdr[9] == 6 ? 4 : 3;
        r->stride = (size_t)r->width * (size_t)r->channels;
        /* About 1 MiB of filtered rows inflated at a time (at least one row). */
        r->batch = (uint32_t)(((size_t)1 << 20) / (r->stride + 1));
        if (r->batch == 0) r->batch = 1;
        r->input = malloc(STREAM_INPUT);
        r->filtered = malloc((size_t)r->batch * (r->stride + 1));
        r->prior = malloc(r->stride);
        /* Raw deflate after the 2-byte zlib header, read by hand: zlib's scalar Adler-32 over the
           inflated bytes costs ~10 % of the read; every IDAT chunk's CRC is checked instead. */
        r->header_left = 2;
        if (!r->input || !r->filtered || !r->prior || inflateInit2(&r->zs, -15) != Z_OK) {
            set_error(error, error_size, "out of memory", NULL);
            atlas_png_reader_close(r);
            return NULL;
        }
        r->zs_ready = 1;
    }
    *width = r->width;
    *height = r->height;
    return r;
}

int atlas_png_reader_read(atlas_png_reader *r, uint8_t *rows, size_t row_stride, uint32_t count,
                          char *error, size_t error_size) {
    if (count > r->height - r->rows_read) { set_error(error, error_size, "more rows asked for than the image has", NULL); return 1; }
    if (r->whole) {
        size_t stride = (size_t)r->width * 4;
        for (uint32_t y = 0; y < count; y++) memcpy(rows + y * row_stride, r->whole + (size_t)(r->rows_read + y) * stride, stride);
        r->rows_read += count;
        return 0;
    }
    if (r->png) return reader_read_libpng(r, rows, row_stride, count, error, error_size);
    size_t line = r->stride + 1;
    while (count > 0) {
        uint32_t n = count < r->batch ? count : r->batch;
        if (stream_inflate(r, r->filtered, n * line, error, error_size)) return 1;
        for (uint32_t y = 0; y < n; y++) {
            uint8_t *row = r->filtered + y * line + 1;
            const uint8_t *prior = y > 0 ? row - line : (r->has_prior ? r->prior : NULL);
            if (unfilter_row(row, prior, r->stride, r->channels, row[-1])) {
                set_error(error, error_size, "corrupt PNG", "unknown row filter");
                return 1;
            }
            expand_rgba(rows + (size_t)y * row_stride, row, r->width, r->channels);
        }
        memcpy(r->prior, r->filtered + (n - 1) * line + 1, r->stride);
        r->has_prior = 1;
        r->rows_read += n;
        rows += (size_t)n * row_stride;
        count -= n;
    }
    return 0;
}
