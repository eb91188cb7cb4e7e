"""Times the peers of `atlas diff` on the benchmark pair (patterns.benchmark_pair, the same pixels
CompareBenchmark.swift generates): ImageMagick `compare -metric AE` and the `pixelmatch` Python
package, each including PNG decoding; scikit-image's SSIM for the separate SSIM figure.

    apt-get install imagemagick
    python3 -m venv /tmp/cmpvenv && /tmp/cmpvenv/bin/pip install numpy scipy scikit-image pixelmatch pillow
    /tmp/cmpvenv/bin/python Benchmarks/compare/peers.py [--size 4096] [--workdir /tmp/atlas-compare-bench] [--skip-pixelmatch]

The PNGs are written to the work directory (not committed); `a.png`, `b.png` there can be passed to
the Swift benchmark once PNG decoding lands.
"""
import argparse
import os
import subprocess
import time

import numpy as np
from PIL import Image

from patterns import benchmark_pair


def timed(label, fn, repeat=1):
    best, value = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    print(f"  {label}: {best * 1000:.0f} ms", flush=True)
    return value, best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=4096)
    parser.add_argument("--workdir", default="/tmp/atlas-compare-bench")
    parser.add_argument("--skip-pixelmatch", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    pa, pb = (os.path.join(args.workdir, n) for n in ("a.png", "b.png"))

    a, b = benchmark_pair(args.size)
    Image.fromarray(a, "RGBA").save(pa)
    Image.fromarray(b, "RGBA").save(pb)
    print(f"peers on {args.size}x{args.size} ({os.path.getsize(pa) >> 10} KiB, {os.path.getsize(pb) >> 10} KiB PNGs)")

    def decode():
        return (np.asarray(Image.open(pa).convert("RGBA")), np.asarray(Image.open(pb).convert("RGBA")))

    timed("PNG decode of both (Pillow)", decode, repeat=3)

    def magick():
        # AE prints the count on stderr; exit status 1 means "images differ".
        run = subprocess.run(["compare", "-metric", "AE", pa, pb, "null:"], capture_output=True, text=True)
        return run.stderr.strip()

    count, _ = timed("ImageMagick compare -metric AE (decode included)", magick, repeat=3)
    print(f"    ImageMagick AE count: {count}")

    from skimage.metrics import structural_similarity
    da, db = decode()
    ssim, _ = timed("scikit-image SSIM (gaussian, channel_axis=2), decoded arrays",
                    lambda: structural_similarity(da[..., :3], db[..., :3], channel_axis=2, gaussian_weights=True,
                                                  sigma=1.5, use_sample_covariance=False, data_range=255))
    print(f"    SSIM {ssim!r}")

    if not args.skip_pixelmatch:
        from pixelmatch import pixelmatch

        def run_pixelmatch():
            x, y = decode()
            return pixelmatch(x.ravel().tolist(), y.ravel().tolist(), args.size, args.size, threshold=0.1)

        n, _ = timed("pixelmatch (Python) threshold 0.1 (decode included)", run_pixelmatch)
        print(f"    pixelmatch count: {n}")


if __name__ == "__main__":
    main()
