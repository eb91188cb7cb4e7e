#!/usr/bin/env python3
"""Writes the `atlas select` example: 4000 prompts, their embeddings (float16, 4000 x 128), a
small SAELens-style decoder (`sae_weights.safetensors` with `W_dec`) and a steering vector. Deterministic (seeded): run it again and the files are identical.

The embeddings are invented: each prompt mixes its topic's direction, a little of its style's, and
one vector per word, plus noise, so prompts that share words sit near each other. Latent 3 of the
decoder and `steering.npy` both point along the "glowing things at sea" topic.

    python3 Examples/select/make_select_example.py   # needs numpy
"""
import json
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DIM, ROWS = 128, 4000
rng = np.random.default_rng(20251201)

TOPICS = {
    "sea-light": (["a lighthouse", "a coral reef", "a tide pool", "a glass jellyfish", "a diver", "a whale", "a sunken ship",
                   "a kelp forest", "a sea cave", "an octopus", "a fishing boat", "a harbour"],
                  ["glowing", "bioluminescent", "phosphorescent", "luminous", "shimmering", "neon"]),
    "clockwork": (["a pocket watch", "an automaton", "a music box", "an orrery", "a clock tower", "a mechanical bird",
                   "a loom", "a typewriter", "a carousel", "a windmill"],
                  ["brass", "geared", "clockwork", "spring-driven", "ticking", "riveted"]),
    "forest": (["an oak", "a fern glade", "a mossy stump", "a fox", "a woodland path", "a mushroom ring", "a deer", "a creek"],
               ["misty", "ancient", "overgrown", "dappled", "quiet", "autumn"]),
    "kitchen": (["a loaf of bread", "a copper pot", "a bowl of soup", "a market stall", "a spice rack", "a teapot",
                 "a fruit bowl", "a chef"],
                ["steaming", "rustic", "fresh", "golden", "homemade", "fragrant"]),
    "city": (["a subway platform", "a rooftop", "a night market", "a tram", "a neon sign", "a crosswalk", "a skyline",
              "an alley"],
             ["rain-soaked", "crowded", "electric", "busy", "towering", "late-night"]),
    "space": (["a nebula", "a space station", "a comet", "an astronaut", "a ringed planet", "a rover", "a galaxy", "a moon base"],
              ["distant", "starlit", "cosmic", "orbiting", "silent", "icy"]),
}
STYLES = ["oil painting", "watercolor", "35mm photo", "ukiyo-e print", "digital art", "charcoal sketch", "linocut", "gouache"]
EXTRAS = ["at dusk", "under moonlight", "in heavy fog", "at dawn", "from above", "close-up", "wide angle", "high detail"]

topic_vec = {t: rng.standard_normal(DIM) for t in TOPICS}
style_vec = {s: rng.standard_normal(DIM) for s in STYLES}
word_vec = {}


def word(w):
    if w not in word_vec:
        word_vec[w] = rng.standard_normal(DIM)
    return word_vec[w]


rows, texts = [], []
names = list(TOPICS)
for i in range(ROWS):
    topic = names[i % len(names)] if i % 5 else names[rng.integers(len(names))]
    subjects, themes = TOPICS[topic]
    subject = subjects[rng.integers(len(subjects))]
    theme = themes[rng.integers(len(themes))]
    style = STYLES[rng.integers(len(STYLES))]
    extra = EXTRAS[rng.integers(len(EXTRAS))]
    text = f"{subject}, {theme}, {extra}, {style}"
    words = text.replace(",", "").split()
    v = 0.45 * topic_vec[topic] + 0.3 * style_vec[style] + 0.6 * sum(word(w) for w in words) / np.sqrt(len(words))
    # A little of another topic now and then: the tails overlap, as real prompts do.
    if rng.random() < 0.2:
        v = v + 0.35 * topic_vec[names[rng.integers(len(names))]]
    v = v + 1.0 * rng.standard_normal(DIM)
    rows.append(v)
    texts.append({"id": f"p{i:04d}", "text": text})

X = np.asarray(rows, dtype=np.float16)
np.save(os.path.join(HERE, "prompts.f16.npy"), X)
# Plain text, one prompt per line (a .jsonl here would be taken for a latent by `atlas batch Examples`).
with open(os.path.join(HERE, "prompts.txt"), "w") as f:
    for t in texts:
        f.write(t["text"] + "\n")

# A steering vector: the sea-light topic, as a 1-D float32 .npy.
steer = (topic_vec["sea-light"] + 0.3 * word("glowing")).astype(np.float32)
np.save(os.path.join(HERE, "steering.npy"), steer)

# A small SAELens-style decoder: 16 latents; latent 3 is the sea-light direction, the others
# the other topics and random directions.
W = rng.standard_normal((16, DIM)).astype(np.float32)
for k, t in zip([3, 1, 2, 4, 5, 6], names):
    W[k] = topic_vec[t] + 0.2 * rng.standard_normal(DIM)
W /= np.linalg.norm(W, axis=1, keepdims=True)
header = {"__metadata__": {"format": "pt"},
          "W_dec": {"dtype": "F32", "shape": list(W.shape), "data_offsets": [0, W.nbytes]}}
raw = json.dumps(header, separators=(",", ":")).encode()
raw += b" " * (-len(raw) % 8)
with open(os.path.join(HERE, "sae_weights.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(raw)) + raw + W.tobytes())
print(f"wrote {X.shape[0]} prompts x {X.shape[1]} (float16) to {HERE}")
