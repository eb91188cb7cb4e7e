#!/usr/bin/env python3
"""The datamapplot peer of `make bench ARGS=table`: a static data map of the same points as an
atlas poster, 2048 x 2048 PNG, timed in process (after one warm-up plot, so imports and font set-up
are excluded) with the atlas's clusters as labels and with 8 labels.

    Benchmarks/.venv/bin/python Benchmarks/peers/datamapplot_poster.py MANIFEST.json OUT_DIR [--repeat 3]

MANIFEST.json is the manifest `atlas render` wrote (its contexts' positions and clusters). Prints
one line per case: `<case> <median seconds> <runs...>`.
"""
import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("manifest", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    manifest = json.loads(args.manifest.read_text())
    points = np.array([c["position"] for c in manifest["contexts"]], dtype=np.float32)
    clusters = np.array([c["cluster"] for c in manifest["contexts"]])

    import logging
    import warnings
    import matplotlib
    matplotlib.use("Agg")
    # No network here: datamapplot's Google-font download fails over to installed fonts; say so once.
    warnings.filterwarnings("ignore")
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    import matplotlib.pyplot as plt
    import datamapplot

    cases = {
        "clusters": np.array([f"cluster {k}" for k in clusters]),
        "8-labels": np.array([f"group {k % 8}" for k in clusters]),
    }
    args.out.mkdir(parents=True, exist_ok=True)

    def plot(labels, path):
        start = time.perf_counter()
        # 8 in at 256 dpi = 2048 px a side, the poster's size.
        fig, _ = datamapplot.create_plot(points, labels, figsize=(8, 8), dpi=256, font_family="DejaVu Sans")
        fig.savefig(path, dpi=256)
        plt.close(fig)
        return time.perf_counter() - start

    plot(cases["8-labels"], args.out / "warmup.png")
    for name, labels in cases.items():
        runs = [plot(labels, args.out / f"{name}.png") for _ in range(args.repeat)]
        print(name, f"{statistics.median(runs):.3f}", " ".join(f"{r:.3f}" for r in runs), flush=True)


if __name__ == "__main__":
    main()
