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
    int bit_depth;
    int swap16;
    char message[256];
};

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
    w->file = fopen(path, "wb");
    if (!w->file) { set_error(error, error_size, "cannot open for writing", strerror(errno)); free(w); return NULL; }
    w->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, w->message, on_error, on_warning);
    w->info = w->png ? png_create_info_struct(w->png) : NULL;
    if (!w->png || !w->info) {
        set_error(error, error_size, "libpng could not start", NULL);
        atlas_png_writer_abandon(w);
        return NULL;
    }
    if (setjmp(png_jmpbuf(w->png))) {
        set_error(error, error_size, "libpng failed writing the header", w->message);
        atlas_png_writer_abandon(w);
        return NULL;
    }
    png_init_io(w->png, w->file);
    png_set_compression_level(w->png, o->compression_level);
    switch (o->filter) {
        case 1: png_set_filter(w->png, 0, PNG_FILTER_NONE); break;
        case 2: png_set_filter(w->png, 0, PNG_FILTER_SUB); break;
        case 3: png_set_filter(w->png, 0, PNG_FILTER_UP); break;
        case 4: png_set_filter(w->png, 0, PNG_FILTER_PAETH); break;
        default: break;
    }
    int color = o->channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB;
    png_set_IHDR(w->png, w->info, o->width, o->height, o->bit_depth, color, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (o->dots_per_inch > 0) {
        png_uint_32 ppm = (png_uint_32)(o->dots_per_inch / 0.0254 + 0.5);
        png_set_pHYs(w->png, w->info, ppm, ppm, PNG_RESOLUTION_METER);
    }
    if (o->srgb) png_set_sRGB_gAMA_and_cHRM(w->png, w->info, PNG_sRGB_INTENT_PERCEPTUAL);
    if (o->text_count > 0) {
        png_text *texts = calloc((size_t)o->text_count, sizeof(png_text));
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
    }
    png_write_info(w->png, w->info);
    w->bit_depth = o->bit_depth;
    w->swap16 = o->bit_depth == 16 && little_endian();
    if (w->swap16) png_set_swap(w->png);
    return w;
}

int atlas_png_writer_write_rows(atlas_png_writer *w, const void *rows, uint32_t count, size_t stride,
                                char *error, size_t error_size) {
    if (setjmp(png_jmpbuf(w->png))) {
        set_error(error, error_size, "libpng failed writing rows", w->message);
        return 1;
    }
    const uint8_t *p = rows;
    for (uint32_t i = 0; i < count; i++) png_write_row(w->png, (png_const_bytep)(p + (size_t)i * stride));
    if (ferror(w->file)) { set_error(error, error_size, "write failed", strerror(errno)); return 1; }
    return 0;
}

int atlas_png_writer_finish(atlas_png_writer *w, char *error, size_t error_size) {
    int status = 0;
    if (setjmp(png_jmpbuf(w->png))) {
        set_error(error, error_size, "libpng failed finishing the file", w->message);
        status = 1;
    } else {
        png_write_end(w->png, NULL);
    }
    png_destroy_write_struct(&w->png, &w->info);
    if (fflush(w->file) != 0 || ferror(w->file)) {
        if (!status) set_error(error, error_size, "write failed", strerror(errno));
        status = 1;
    }
    if (fclose(w->file) != 0 && !status) { set_error(error, error_size, "close failed", strerror(errno)); status = 1; }
    free(w);
    return status;
}

void atlas_png_writer_abandon(atlas_png_writer *w) {
    if (!w) return;
    if (w->png) png_destroy_write_struct(&w->png, w->info ? &w->info : NULL);
    if (w->file) fclose(w->file);
    free(w);
}

int atlas_png_read(const char *path, atlas_png_image *image, char *error, size_t error_size) {
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
    png_bytep *row_pointers = NULL;
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
    png_read_info(png, info);
    image->width = png_get_image_width(png, info);
    image->height = png_get_image_height(png, info);
    image->bit_depth = png_get_bit_depth(png, info);
    image->color_type = png_get_color_type(png, info);
    png_uint_32 rx, ry; int unit;
    if (png_get_pHYs(png, info, &rx, &ry, &unit) && unit == PNG_RESOLUTION_METER) image->dots_per_inch = rx * 0.0254;
    int intent;
    image->has_srgb = png_get_sRGB(png, info, &intent) != 0;
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
        for (int i = 0; i < n; i++) {
            image->text_keys[i] = strdup(texts[i].key);
            image->text_values[i] = strdup(texts[i].text ? texts[i].text : "");
        }
        image->text_count = n;
    }
    free(row_pointers);
    png_destroy_read_struct(&png, &info, NULL);
    fclose(file);
    return 0;
}

void atlas_png_free(atlas_png_image *image) {
    free(image->rgba);
    image->rgba = NULL;
    for (int i = 0; i < image->text_count; i++) { free(image->text_keys[i]); free(image->text_values[i]); }
    free(image->text_keys);
    free(image->text_values);
    image->text_keys = image->text_values = NULL;
    image->text_count = 0;
}
