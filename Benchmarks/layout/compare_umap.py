#!/usr/bin/env python3
"""Compare LatentAtlas's layout with umap-learn on the same synthetic data.

First export the data and our positions (release build):

    swift build -c release --product AtlasBenchmarks
    .build/release/AtlasBenchmarks layout --sizes 250,3000 --export /tmp/layout-bench

then, in a virtual environment with umap-learn and scikit-learn:

    python3 -m venv Benchmarks/.venv
    Benchmarks/.venv/bin/pip install umap-learn scikit-learn
    Benchmarks/.venv/bin/python Benchmarks/layout/compare_umap.py /tmp/layout-bench --sizes 250,3000

For each size it times umap-learn twice: inside this process (after a warm-up fit on the same
data, so numba's compilation is excluded) and as a fresh `python -c` process (imports and JIT included, which is
what a user of a one-shot CLI pays; the median of --fresh-runs such processes). Trustworthiness@10 (cosine) is computed with scikit-learn
for umap-learn's embedding and for both of our layouts, so all three use the same metric code.
"""
import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sklearn.manifold import trustworthiness

FRESH = """
import sys, time, numpy as np
start = time.perf_counter()
import umap
x = np.load(sys.argv[1])
umap.UMAP(n_neighbors=15, min_dist=0.1, metric="cosine", init="spectral").fit_transform(x)
print(time.perf_counter() - start)
"""


def fresh_process_seconds(path: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", FRESH, str(path)], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="folder written by `AtlasBenchmarks layout --export`")
    parser.add_argument("--sizes", default="250,3000", help="comma-separated point counts")
    parser.add_argument("--fresh-runs", type=int, default=1,
                        help="fresh processes per size; the median is printed (`make bench ARGS=table` passes its --repeat)")
    args = parser.parse_args()

    import umap  # imported here so --help works without umap-learn

    print("points  layout                 seconds  trust@10  spearman(score,-r)")
    for n in (int(s) for s in args.sizes.split(",")):
        x = np.load(args.directory / f"layout_{n}.npy")
        scores = np.load(args.directory / f"layout_{n}_scores.npy")
        umap.UMAP(metric="cosine").fit_transform(x)  # numba compilation, excluded from "fit" times
        start = time.perf_counter()
        theirs = umap.UMAP(n_neighbors=15, min_dist=0.1, metric="cosine").fit_transform(x)
        fit_seconds = time.perf_counter() - start
        fresh = float(np.median([fresh_process_seconds(args.directory / f"layout_{n}.npy")
                                 for _ in range(max(1, args.fresh_runs))]))
        rows = [
            ("umap-learn (fit)", fit_seconds, theirs),
            ("umap-learn (fresh proc)", fresh, theirs),
        ]
        for mode in ("umap", "constrained"):
            ours = args.directory / f"layout_{n}_{mode}.npy"
            if ours.exists():  # `layout --modes` may have exported one mode only
                rows.append((f"atlas {mode}", float("nan"), np.load(ours)))
        for name, seconds, y in rows:
            trust = trustworthiness(x, y, n_neighbors=10, metric="cosine")
            radius = np.linalg.norm(y - (y.mean(axis=0) if name.startswith("umap") else 0), axis=1)
            rho = spearmanr(scores, -radius).correlation
            print(f"{n:6d}  {name:23s} {seconds:7.3f}  {trust:8.4f}  {rho:18.4f}")


if __name__ == "__main__":
    main()
