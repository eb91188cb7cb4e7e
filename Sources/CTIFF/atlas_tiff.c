#include "atlas_tiff.h"
#include <tiffio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct atlas_tiff_writer {
    TIFF *tiff;
    TIFFOpenOptions *options;
    uint32_t row;
    size_t row_bytes;
    uint8_t *scratch;       /* one row, for libtiff (which may modify what it is given) */
    char message[256];
};

static int on_error(TIFF *tiff, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tiff; (void)module;
    char *buffer = user;
    if (buffer && !buffer[0]) vsnprintf(buffer, 256, fmt, ap);   /* keep the first message */
    return 1;
}

static int on_warning(TIFF *tiff, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tiff; (void)user; (void)module; (void)fmt; (void)ap;
    return 1;
}

static void set_error(char *error, size_t size, const char *what, const char *detail) {
    if (error && size) snprintf(error, size, "%s%s%s", what, detail && *detail ? ": " : "", detail ? detail : "");
}

void atlas_tiff_abandon(atlas_tiff_writer *w) {
    if (!w) return;
    if (w->tiff) TIFFClose(w->tiff);
    if (w->options) TIFFOpenOptionsFree(w->options);
    free(w->scratch);
    free(w);
}

atlas_tiff_writer *atlas_tiff_open(const char *path, const atlas_tiff_options *o, char *error, size_t error_size) {
    atlas_tiff_writer *w = calloc(1, sizeof *w);
    if (!w) { set_error(error, error_size, "out of memory", NULL); return NULL; }
    w->row_bytes = (size_t)o->width * 3 * (size_t)(o->bit_depth / 8);
    w->scratch = malloc(w->row_bytes);
    w->options = TIFFOpenOptionsAlloc();
    if (!w->scratch || !w->options) { set_error(error, error_size, "out of memory", NULL); atlas_tiff_abandon(w); return NULL; }
    TIFFOpenOptionsSetErrorHandlerExtR(w->options, on_error, w->message);
    TIFFOpenOptionsSetWarningHandlerExtR(w->options, on_warning, NULL);
    /* Classic TIFF up to 4 GB; BigTIFF beyond (an uncompressed 16-bit 32768² print is 6 GB). */
    int big = (uint64_t)w->row_bytes * o->height > ((uint64_t)1 << 32) - ((uint64_t)1 << 26);
    w->tiff = TIFFOpenExt(path, big ? "w8" : "w", w->options);
    if (!w->tiff) { set_error(error, error_size, "cannot open for writing", w->message); atlas_tiff_abandon(w); return NULL; }
    TIFF *t = w->tiff;
    int ok = TIFFSetField(t, TIFFTAG_IMAGEWIDTH, o->width)
        && TIFFSetField(t, TIFFTAG_IMAGELENGTH, o->height)
        && TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 3)
        && TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, o->bit_depth)
        && TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB)
        && TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG)
        && TIFFSetField(t, TIFFTAG_ORIENTATION, ORIENTATION_TOPLEFT);
    if (ok && o->compression == 1) ok = TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_LZW) && TIFFSetField(t, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
    else if (ok && o->compression == 2) ok = TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE)
        && TIFFSetField(t, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL) && TIFFSetField(t, TIFFTAG_ZIPQUALITY, o->level);
    else if (ok) ok = TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_NONE);
    /* Strips of about 256 KiB. */
    if (ok) {
        uint32_t rows = (uint32_t)((1 << 18) / (w->row_bytes ? w->row_bytes : 1));
        ok = TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, rows ? rows : 1);
    }
    if (ok && o->dots_per_inch > 0) ok = TIFFSetField(t, TIFFTAG_XRESOLUTION, (float)o->dots_per_inch)
        && TIFFSetField(t, TIFFTAG_YRESOLUTION, (float)o->dots_per_inch) && TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    if (ok && o->icc_profile && o->icc_profile_length) ok = TIFFSetField(t, TIFFTAG_ICCPROFILE, (uint32_t)o->icc_profile_length, o->icc_profile);
    if (ok && o->software) ok = TIFFSetField(t, TIFFTAG_SOFTWARE, o->software);
    if (ok && o->description) ok = TIFFSetField(t, TIFFTAG_IMAGEDESCRIPTION, o->description);
    if (ok && o->document_name) ok = TIFFSetField(t, TIFFTAG_DOCUMENTNAME, o->document_name);
    if (!ok) { set_error(error, error_size, "libtiff refused a tag", w->message); atlas_tiff_abandon(w); return NULL; }
    return w;
}

int atlas_tiff_write_rows(atlas_tiff_writer *w, const void *rows, uint32_t count, size_t stride, char *error, size_t error_size) {
    const uint8_t *p = rows;
    for (uint32_t i = 0; i < count; i++) {
        memcpy(w->scratch, p + (size_t)i * stride, w->row_bytes);
        if (TIFFWriteScanline(w->tiff, w->scratch, w->row, 0) < 0) {
            set_error(error, error_size, "libtiff failed writing rows", w->message);
            return 1;
        }
        w->row++;
    }
    return 0;
}

int atlas_tiff_finish(atlas_tiff_writer *w, char *error, size_t error_size) {
    int status = 0;
    if (!TIFFFlush(w->tiff)) { set_error(error, error_size, "libtiff failed finishing the file", w->message); status = 1; }
    TIFFClose(w->tiff);
    w->tiff = NULL;
    if (!status && w->message[0]) { set_error(error, error_size, "libtiff failed", w->message); status = 1; }
    atlas_tiff_abandon(w);
    return status;
}

int atlas_tiff_read(const char *path, atlas_tiff_info *info, uint16_t *samples, size_t capacity,
                    char *error, size_t error_size) {
    memset(info, 0, sizeof *info);
    char message[256] = {0};
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (!options) { set_error(error, error_size, "out of memory", NULL); return 1; }
    TIFFOpenOptionsSetErrorHandlerExtR(options, on_error, message);
    TIFFOpenOptionsSetWarningHandlerExtR(options, on_warning, NULL);
    TIFF *t = TIFFOpenExt(path, "r", options);
    if (!t) { set_error(error, error_size, "cannot open", message); TIFFOpenOptionsFree(options); return 1; }
    uint16_t bits = 0, spp = 0, compression = 0, predictor = 1, unit = 0;
    float xres = 0;
    uint32_t icc_length = 0;
    void *icc = NULL;
    TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &info->width);
    TIFFGetField(t, TIFFTAG_IMAGELENGTH, &info->height);
    TIFFGetFieldDefaulted(t, TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetFieldDefaulted(t, TIFFTAG_SAMPLESPERPIXEL, &spp);
    TIFFGetFieldDefaulted(t, TIFFTAG_COMPRESSION, &compression);
    TIFFGetFieldDefaulted(t, TIFFTAG_PREDICTOR, &predictor);
    if (TIFFGetField(t, TIFFTAG_XRESOLUTION, &xres)) info->x_resolution = xres;
    TIFFGetFieldDefaulted(t, TIFFTAG_RESOLUTIONUNIT, &unit);
    if (TIFFGetField(t, TIFFTAG_ICCPROFILE, &icc_length, &icc)) info->icc_profile_length = icc_length;
    info->bit_depth = bits; info->samples_per_pixel = spp; info->compression = compression;
    info->predictor = predictor; info->resolution_unit = unit;
    int status = 0;
    if (samples) {
        size_t per_row = (size_t)info->width * 3;
        if (spp != 3 || (bits != 8 && bits != 16) || per_row * info->height > capacity) {
            set_error(error, error_size, "not an RGB 8/16-bit image of the expected size", NULL);
            status = 1;
        } else {
            uint8_t *row = malloc((size_t)TIFFScanlineSize(t));
            if (!row) { set_error(error, error_size, "out of memory", NULL); status = 1; }
            for (uint32_t y = 0; row && y < info->height && !status; y++) {
                if (TIFFReadScanline(t, row, y, 0) < 0) { set_error(error, error_size, "cannot read rows", message); status = 1; break; }
                for (size_t i = 0; i < per_row; i++)
                    samples[y * per_row + i] = bits == 16 ? ((uint16_t *)row)[i] : (uint16_t)(row[i] * 257);
            }
            free(row);
        }
    }
    TIFFClose(t);
    TIFFOpenOptionsFree(options);
    return status;
}
