#!/usr/bin/env python3
"""Writes a synthetic Neuronpedia export tree in the real layout and schema, for `atlas batch` runs.

    python3 Examples/neuronpedia_export.py OUT [--batches 4] [--features-per-batch 1024] [--top 20] [--bins 10]

Layout as Neuronpedia's `utils/neuronpedia-utils/neuronpedia_utils/export-data.py` leaves it:

    OUT/gpt2-small/8-res-jb/{model,release,source,sourceset}.jsonl        (plain, not gzip)
    OUT/gpt2-small/8-res-jb/activations/batch-N.jsonl.gz                  (Activation rows; features N*1024 … N*1024+1023)
    OUT/gpt2-small/8-res-jb/explanations/batch-N.jsonl.gz                 (Explanation rows, 1024 per batch, ordered by index)
    OUT/gpt2-small/8-res-jb/features/batch-N.jsonl.gz                     (Neuron rows)

Rows carry the columns `export-data.py` selects, written with Python's `json.dumps` (so `NaN`
appears in `dfaMaxValue`, as it does in real exports). Tokens are GPT-2 byte-level vocabulary
strings (`Ġ` spaces, `âĢĻ` for ’, `Ċ` newlines). Top activations have binMin -1; bin samples have
binMin ≥ 0 and sometimes repeat a top context; about 3 % of features are dead (feature rows, no
activations); a few rows have a maxValue that disagrees with their values. Deterministic.
"""
import argparse
import gzip
import json
import os
import random

WORDS = ("sea harbour lantern tide storm reef glow kelp moon salt foam current pier whale diver village ship "
         "market festival fog rain dawn dusk light night boat cave marsh octopus coral jellyfish wave shore "
         "the a of and in on at under over with from by").split()
# GPT-2 byte-level spellings of a few non-ASCII pieces: ’s, —, é.
PIECES = ["âĢĻs", "âĢĶ", "Ã©"]
MODEL, SOURCE, CREATOR = "gpt2-small", "8-res-jb", "clkht01d40000jv08hvalcvly"


def tokens(rng, n):
    out = ["<|endoftext|>"]
    for i in range(n - 1):
        r = rng.random()
        if r < 0.03:
            out.append("Ċ")
        elif r < 0.06:
            out.append(rng.choice(PIECES))
        else:
            out.append(("Ġ" if i else "") + rng.choice(WORDS))
    return out


def activation(rng, index, n, serial, top, peak, bin_min=-1.0):
    toks = tokens(rng, n)
    values = [0.0] + [round(max(0.0, rng.gauss(0, peak / 6)), 3) for _ in range(n - 1)]
    k = rng.randrange(1, n)
    values[k] = round(peak * (0.6 + 0.4 * rng.random()) if top else bin_min + rng.random() * 0.5, 3)
    m = max(values)
    max_value = 99.0 if rng.random() < 0.002 else m  # the inconsistent rows the audit found
    return {
        "id": f"c{index:06d}{serial:04d}", "modelId": MODEL, "layer": SOURCE, "index": str(index), "creatorId": CREATOR,
        "dataSource": None, "tokens": toks, "maxValue": max_value, "minValue": min(values), "values": values,
        "maxValueTokenIndex": values.index(m), "dfaValues": [], "dfaMaxValue": float("nan"), "dfaTargetIndex": None,
        "binContains": -1 if top else round(rng.random() * 0.01, 5), "binMin": bin_min if not top else -1,
        "binMax": 99 if top else bin_min + 0.5,
    }


def write_gz(path, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    with open(path, "wb") as f:
        f.write(gzip.compress(data, compresslevel=5))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--batches", type=int, default=4)
    ap.add_argument("--features-per-batch", type=int, default=1024)
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--bins", type=int, default=10)
    ap.add_argument("--tokens", type=int, default=64)
    a = ap.parse_args()
    rng = random.Random(20241)
    root = os.path.join(a.out, MODEL, SOURCE)
    os.makedirs(root, exist_ok=True)
    for name, row in [("model", {"id": MODEL, "instruct": False, "creatorId": CREATOR}),
                      ("release", {"name": "res-jb", "description": "synthetic", "creatorName": "x", "creatorId": CREATOR}),
                      ("source", {"id": SOURCE, "modelId": MODEL, "setName": "res-jb", "creatorId": CREATOR}),
                      ("sourceset", {"modelId": MODEL, "name": "res-jb", "creatorId": CREATOR})]:
        with open(os.path.join(root, name + ".jsonl"), "w") as f:
            f.write(json.dumps(row) + "\n")
    counts = {"features": 0, "dead": 0, "activations": 0}
    for b in range(a.batches):
        acts, feats, expls = [], [], []
        for index in range(b * a.features_per_batch, (b + 1) * a.features_per_batch):
            dead = rng.random() < 0.03
            peak = 0.0 if dead else round(1 + rng.random() * 30, 3)
            feats.append({"modelId": MODEL, "layer": SOURCE, "index": str(index), "maxActApprox": peak, "creatorId": CREATOR,
                          "frac_nonzero": 0.0 if dead else round(rng.random() * 0.01, 5), "neg_str": ["Ġsun"], "neg_values": [-0.5],
                          "pos_str": ["Ġrain"], "pos_values": [0.7], "hasVector": False, "vector": [], "hookName": None})
            counts["features"] += 1
            if dead:
                counts["dead"] += 1
                continue
            top = [activation(rng, index, a.tokens, i, True, peak) for i in range(a.top)]
            bins = [activation(rng, index, a.tokens, a.top + i, False, peak, round(peak * i / a.bins, 3)) for i in range(a.bins)]
            if bins:  # a bin sample repeating a top context, as real API responses have
                bins[0] = dict(top[0], id=f"d{index:06d}", binMin=0.0, binMax=0.5, binContains=0.001)
            acts += top + bins
            if rng.random() < 0.8:
                expls.append({"id": f"e{index}", "modelId": MODEL, "layer": SOURCE, "index": str(index), "authorId": CREATOR,
                              "description": " ".join(rng.sample(WORDS[:34], 3)), "embedding": None,
                              "typeName": "oai_token-act-pair", "explanationModelName": "gpt-4o-mini",
                              "umap_x": 0, "umap_y": 0, "umap_cluster": 0, "umap_log_feature_sparsity": 0})
        counts["activations"] += len(acts)
        write_gz(os.path.join(root, "activations", f"batch-{b}.jsonl.gz"), acts)
        write_gz(os.path.join(root, "features", f"batch-{b}.jsonl.gz"), feats)
        write_gz(os.path.join(root, "explanations", f"batch-{b}.jsonl.gz"), expls)
    print(f"wrote {root}: {counts['features']} features ({counts['dead']} dead), {counts['activations']} activation rows")


if __name__ == "__main__":
    main()
