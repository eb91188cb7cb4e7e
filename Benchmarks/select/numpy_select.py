"""NumPy peer for `make bench ARGS=select`: the same top-K selection on the same files.

Uses the system python3 with numpy (no virtualenv needed). Times, best of N, in process:
  dot:    X @ v + argpartition (dot products only, the usual notebook one-liner)
  cosine: (X @ v) / ||X||_row + argpartition (what `atlas select` computes)
with X loaded into memory by np.load (a copy), and the load itself; and the same dot
through np.load(mmap_mode='r') on a warm page cache.

usage: python3 numpy_select.py FILE.npy DIRECTION.npy [--top 250] [--repeats 5]
"""
import argparse
import time

import numpy as np


def best(fn, repeats):
    t = float("inf")
    out = None
    for _ in range(repeats):
        s = time.perf_counter()
        out = fn()
        t = min(t, time.perf_counter() - s)
    return t, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("matrix")
    ap.add_argument("direction")
    ap.add_argument("--top", type=int, default=250)
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    v = np.load(a.direction).astype(np.float32)
    v /= np.linalg.norm(v)
    load_t, X = best(lambda: np.load(a.matrix), 2)
    vv = v.astype(X.dtype)
    k = a.top

    def dot():
        s = X @ vv
        idx = np.argpartition(-s, k)[:k]
        return idx[np.argsort(-s[idx], kind="stable")]

    def cosine():
        s = (X @ vv) / np.sqrt(np.einsum("ij,ij->i", X, X))
        idx = np.argpartition(-s, k)[:k]
        return idx[np.argsort(-s[idx], kind="stable")]

    Xm = np.load(a.matrix, mmap_mode="r")

    def mapped():
        s = Xm @ vv
        idx = np.argpartition(-s, k)[:k]
        return idx

    dot()
    dot_t, top = best(dot, a.repeats)
    cos_t, top_cos = best(cosine, a.repeats)
    mapped()
    map_t, _ = best(mapped, a.repeats)
    gb = X.nbytes / 1e9
    print(f"numpy {np.__version__} {X.shape[0]}x{X.shape[1]} {X.dtype}: load {load_t:.3f} s | "
          f"X@v+argpartition {dot_t * 1000:.1f} ms ({gb / dot_t:.1f} GB/s) | "
          f"cosine+argpartition {cos_t * 1000:.1f} ms | mmap X@v {map_t * 1000:.1f} ms | top row {int(top_cos[0])}")


if __name__ == "__main__":
    main()
