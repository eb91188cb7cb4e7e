#!/usr/bin/env python3
"""Writes the bundled example latents. Deterministic: run it again and the files are identical.

The latents are invented for demonstration: text-to-image style prompts built from templates,
with per-token activations in three tokenizer families (SentencePiece, GPT-2 byte-level, WordPiece)
so every path of the highlighter is exercised.
"""
import json
import math
import random

SUBJECTS = ["a lighthouse", "a fishing village", "a coral reef", "a tide pool", "an old harbour", "a glass jellyfish",
            "a diver", "a whale", "a paper boat", "a storm at sea", "a sunken ship", "a lantern festival",
            "a night market", "a kelp forest", "a sea cave", "a salt marsh", "a pier", "an octopus"]
THEME = ["glowing", "bioluminescent", "phosphorescent", "luminous", "radiant", "shimmering", "incandescent", "neon"]
STYLES = ["oil painting", "watercolor", "35mm photo", "ukiyo-e print", "digital art", "charcoal sketch",
          "isometric render", "cinematic still", "gouache", "linocut"]
EXTRAS = ["at dusk", "under moonlight", "in heavy fog", "at dawn", "in the rain", "from above", "close-up",
          "wide angle", "soft focus", "high detail", "muted colors", "dramatic lighting"]

MACHINE_SUBJECTS = ["a pocket watch", "an automaton", "a music box", "a steam engine", "an orrery", "a clock tower",
                    "a mechanical bird", "a loom", "a printing press", "a typewriter", "a planetarium", "a robot butler",
                    "a difference engine", "a carousel", "a windmill", "a submarine"]
MACHINE_THEME = ["gears", "cogs", "springs", "brass", "clockwork", "pistons", "escapements", "sprockets"]

RIGHTS_SUBJECTS = ["a march", "a crowd", "a mural", "a town hall meeting", "a classroom", "a portrait", "a poster",
                   "a library", "a courtroom", "a community garden", "a choir", "a newspaper front page"]
RIGHTS_THEME = ["civil rights", "equality", "justice", "solidarity", "voting rights", "dignity", "freedom", "inclusion"]


def sentencepiece(words):
    toks = ["<bos>"]
    for w in words:
        if len(w) > 7:
            toks += ["▁" + w[:4], w[4:]]
        else:
            toks.append("▁" + w)
    return toks


def byte_level(words):
    toks = []
    for i, w in enumerate(words):
        lead = "" if i == 0 else "Ġ"
        core, punct = (w[:-1], w[-1]) if w[-1] in ",." else (w, "")
        if len(core) > 6:
            toks += [lead + core[:3], core[3:]]
        else:
            toks.append(lead + core)
        if punct:
            toks.append(punct)
    return toks


def wordpiece(words):
    toks = ["[CLS]"]
    for w in words:
        w = w.lower()
        core, punct = (w[:-1], w[-1]) if w[-1] in ",." else (w, "")
        if len(core) > 6:
            toks += [core[:4], "##" + core[4:]]
        else:
            toks.append(core)
        if punct:
            toks.append(punct)
    toks.append("[SEP]")
    return toks


def activations(tokens, theme_words, rng):
    acts = []
    theme_pieces = set()
    for t in theme_words:
        for piece in t.split():
            theme_pieces.add(piece.lower())
    current = None
    for tok in tokens:
        bare = tok.replace("▁", "").replace("Ġ", "").replace("##", "").lower()
        starts = tok.startswith("▁") or tok.startswith("Ġ") or not tok.startswith("##")
        if tok in ("<bos>", "[CLS]", "[SEP]"):
            acts.append(0.0)
            continue
        # The first version also matched short words that merely begin a theme word ("in" of
        # "incandescent"); they drew the same random numbers, so texts and the rest stay as they were.
        drew = any(p.startswith(bare) or bare in p for p in theme_pieces if len(bare) >= 2)
        hit = any((p.startswith(bare) and (len(bare) >= 3 or bare == p)) if starts else bare in p
                  for p in theme_pieces if len(bare) >= 2)
        if drew:
            current = rng.uniform(4.0, 11.0) if starts or current is None else current * rng.uniform(0.7, 1.0)
            if not hit:
                acts.append(round(current % 0.8, 3))
                current = None
                continue
            acts.append(round(current, 3))
        else:
            current = None
            acts.append(round(max(0.0, rng.gauss(0.3, 0.5)), 3))
    return acts


def make(name, header, subjects, theme, tokenizer, count, seed, embed_dims=0):
    rng = random.Random(seed)
    lines = [json.dumps({"latent": header}, ensure_ascii=False)]
    seen = set()
    i = 0
    while len(lines) - 1 < count:
        subj = rng.choice(subjects)
        k = rng.choice([0, 1, 1, 2, 2, 3])
        themed = rng.sample(theme, k)
        style = rng.choice(STYLES)
        extra = rng.choice(EXTRAS)
        if k == 0:
            text = f"{subj}, {style}, {extra}"
        elif k == 1:
            text = f"{themed[0]} {subj}, {style}, {extra}"
        else:
            text = f"{subj} with {' and '.join(themed)}, {style}, {extra}"
        if text in seen:
            continue
        seen.add(text)
        words = text.split(" ")
        tokens = tokenizer(words)
        acts = activations(tokens, themed, rng)
        score = 0.18 + 0.07 * k + rng.gauss(0, 0.025)
        score = round(min(max(score, 0.05), 0.6), 4)
        record = {"id": f"{name}-{i:04d}", "text": text, "score": score, "tokens": tokens, "activations": acts}
        if embed_dims:
            # A toy embedding: subject and style directions plus the theme strength, L2-normalised.
            v = [0.0] * embed_dims
            v[subjects.index(subj) % embed_dims] += 1.0
            v[(len(subjects) + STYLES.index(style)) % embed_dims] += 0.6
            v[(len(subjects) + len(STYLES) + EXTRAS.index(extra)) % embed_dims] += 0.3
            v[embed_dims - 1] += 0.8 * k
            v = [x + rng.gauss(0, 0.08) for x in v]
            n = math.sqrt(sum(x * x for x in v))
            record["embedding"] = [round(x / n, 5) for x in v]
        lines.append(json.dumps(record, ensure_ascii=False))
        i += 1
    with open(f"{name}.jsonl", "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def neuronpedia(seed):
    rng = random.Random(seed)
    acts = []
    for i in range(80):
        subj = rng.choice(RIGHTS_SUBJECTS)
        k = rng.choice([1, 1, 2])
        themed = rng.sample(RIGHTS_THEME, k)
        text = f" {subj} about {' and '.join(themed)}, {rng.choice(STYLES)}"
        words = text.strip().split(" ")
        tokens = ["<bos>"] + [" " + w if j else w for j, w in enumerate(words)]
        values = activations([t if t == "<bos>" else "Ġ" + t.strip() for t in tokens], themed, rng)
        top = max(range(len(values)), key=lambda j: values[j])
        acts.append({"id": f"np-{i:03d}", "tokens": tokens, "values": values, "maxValue": values[top],
                     "maxValueTokenIndex": top})
    feature = {"modelId": "gemma-2-2b", "layer": "20-gemmascope-res-16k", "index": "12082",
               "explanations": [{"description": "topics related to race, ethnicity, and social rights issues"}],
               "activations": acts}
    with open("neuronpedia-12082.json", "w", encoding="utf-8") as f:
        json.dump(feature, f, ensure_ascii=False, indent=1)
        f.write("\n")


make("sea-light", {"name": "sea-light", "title": "Light under the sea", "model": "gemma-2-2b", "layer": "12",
                   "index": "4417", "description": "glowing and bioluminescent things at sea"},
     SUBJECTS, THEME, sentencepiece, 300, 1)
make("clockwork", {"name": "clockwork", "title": "Clockwork", "model": "gpt2-small", "layer": "8", "index": "2291",
                   "description": "gears, springs and brass mechanisms"},
     MACHINE_SUBJECTS, MACHINE_THEME, byte_level, 250, 2, embed_dims=48)
make("civic", {"name": "civic", "title": "Civic voices", "model": "bert-base-uncased", "layer": "9", "index": "733",
               "description": "civil rights, equality and collective action"},
     RIGHTS_SUBJECTS, RIGHTS_THEME, wordpiece, 200, 3)
neuronpedia(4)
