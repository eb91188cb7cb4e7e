/* libFuzzer target over the PNG readers of Sources/CPNG: the fast decoder and libpng's general
   reader, on the same bytes. Both must return a status (never crash, overflow or leak), agree on
   the pixels when both read a file, and keep within the pixel limit. Built and run by run.sh. */
#include "atlas_png.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!path[0]) snprintf(path, sizeof path, "/dev/shm/atlas-png-fuzz-%d.png", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    const uint64_t limit = 1 << 22; /* 4 Mpx: the fuzzer's memory, not the tool's default */
    char error[256];
    atlas_png_image fast, general;
    uint32_t w = 0, h = 0;
    int declared = atlas_png_header(path, &w, &h) == 0;
    if (declared && (uint64_t)w * h > limit) return 0; /* what PNGFile.read refuses up front */
    int fast_status = atlas_png_read_fast(path, &fast, NULL, (size_t)limit * 4, error, sizeof error);
    int general_status = atlas_png_read(path, &general, limit, error, sizeof error);
    if (fast_status == 0 && general_status == 0) {
        if (fast.width != general.width || fast.height != general.height ||
            memcmp(fast.rgba, general.rgba, (size_t)fast.width * fast.height * 4) != 0) {
            fprintf(stderr, "the fast decoder and libpng read different pixels\n");
            abort();
        }
    }
    if (fast_status == 0) atlas_png_free(&fast);
    if (general_status == 0) atlas_png_free(&general);
    return 0;
}
