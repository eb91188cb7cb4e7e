#!/usr/bin/env python3
"""Paint a LatentAtlas region plan with a diffusion model: region-based MultiDiffusion.

    atlas render Examples/sea-light.jsonl --style poster --export-plan plans
    python Examples/diffusers/paint_plan.py plans/sea-light/plan.json --model /models/sd15
    atlas render Examples/sea-light.jsonl --style poster --painting plans

The plan (``atlas render --export-plan``) gives the canvas, the atlas disc, and per region its text,
highlighted words, centre, size, seed and its cell of a power diagram (``labels.png`` and
``runner-up.png``). This script follows Bar-Tal et al., "MultiDiffusion: Fusing Diffusion Paths for
Controlled Image Generation" (ICML 2023), region-based generation (their ``region_based.py``):

* every region (and the background outside the disc) is one prompt with a soft mask, taken to latent
  resolution by area averaging;
* each step, every prompt predicts noise on the windows that cover its mask (batched, with
  classifier-free guidance), and the predictions are fused per latent pixel as the mask-weighted
  average over all windows and prompts; one scheduler step then moves the whole canvas, so any
  scheduler (DDIM, Euler, DPM-Solver, the few-step ones) works unchanged;
* for the first ``--bootstrap`` steps each region sees, outside its own mask, a flat colour
  background noised to the current timestep, which holds every region to its cell;
* the latent canvas is decoded by the VAE in overlapping tiles, so a print-size canvas fits a GPU.

Works with Stable Diffusion 1.x/2.x and SDXL-class pipelines, and with few-step models (SD-Turbo,
SDXL-Turbo: ``--steps 2 --guidance 0``). ``--lora`` loads a LoRA whose ``--lora-trigger`` word is put
before every highlighted word, at a strength that follows the word's activation. The model is loaded
from a local folder, a single checkpoint file or the Hugging Face cache, never downloaded unless
``--allow-download`` is given.

The painting is written as a PNG of the canvas size with the plan's fingerprint in its
``latentatlas:plan-fingerprint`` text chunk, which ``atlas render --painting`` checks.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, PngImagePlugin

SCHEMA = "latentatlas.region-plan"
VERSION = 1
FINGERPRINT_KEY = "latentatlas:plan-fingerprint"


class PlanError(Exception):
    """A plan that cannot be painted; the message is one sentence naming the file and the problem."""


# --------------------------------------------------------------------------------------------------
# The plan


@dataclass
class Region:
    label: int
    id: str
    text: str
    words: list  # [(text, weight)]
    highlights: list  # [(word, weight)]
    seed: int
    color: str


@dataclass
class Plan:
    path: Path
    fingerprint: str
    width: int
    height: int
    dpi: float
    seed: int
    background_prompt: str
    regions: list
    owner_path: Path
    runner_up_path: Path


def read_plan(path: str | os.PathLike) -> Plan:
    path = Path(path)
    if path.is_dir():
        path = path / "plan.json"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError(f"{path} does not exist; export a plan with 'atlas render INPUT --export-plan DIR'.") from None
    except json.JSONDecodeError as e:
        raise PlanError(f"{path}:{e.lineno}: not JSON ({e.msg}).") from None
    if doc.get("schema") != SCHEMA or doc.get("version") != VERSION:
        raise PlanError(f"{path} has schema {doc.get('schema')!r} version {doc.get('version')!r}; "
                        f"this script reads {SCHEMA!r} version {VERSION}.")
    try:
        regions = [Region(label=r["label"], id=r["id"], text=r["text"],
                          words=[(w["text"], float(w["weight"])) for w in r["words"]],
                          highlights=[(h["word"], float(h["weight"])) for h in r["highlights"]],
                          seed=int(r["seed"]), color=r["color"]) for r in doc["regions"]]
        masks = doc["masks"]
        plan = Plan(path=path, fingerprint=doc["fingerprint"], width=int(doc["canvas"]["width"]),
                    height=int(doc["canvas"]["height"]), dpi=float(doc["canvas"]["dpi"]), seed=int(doc["seed"]),
                    background_prompt=doc["background"]["prompt"], regions=regions,
                    owner_path=path.parent / masks["owner"], runner_up_path=path.parent / masks["runner_up"])
    except (KeyError, TypeError, ValueError) as e:
        raise PlanError(f"{path}: field {e} is missing or malformed.") from None
    for i, r in enumerate(plan.regions):
        if r.label != i + 1:
            raise PlanError(f"{path}: regions[{i}].label is {r.label}; expected {i + 1}.")
    return plan


def read_label_map(path: Path, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels (R + 256 G) and weights (B / 255) of one mask file."""
    try:
        image = np.asarray(Image.open(path).convert("RGB"), dtype=np.uint8)
    except FileNotFoundError:
        raise PlanError(f"{path} does not exist; it is one of the plan's mask files.") from None
    if image.shape[:2] != (height, width):
        raise PlanError(f"{path} is {image.shape[1]}×{image.shape[0]} but the plan's canvas is {width}×{height}.")
    labels = image[..., 0].astype(np.int64) + 256 * image[..., 1].astype(np.int64)
    return labels, image[..., 2].astype(np.float32) / 255.0


def latent_masks(plan: Plan, factor: int, latent_h: int, latent_w: int) -> np.ndarray:
    """Soft masks at latent resolution, [1 + regions, latent_h, latent_w]: index 0 is the background
    (outside the disc), index k region label k. A latent pixel's mask is the area average of its
    factor × factor block; the masks sum to 1 everywhere."""
    owner, owner_w = read_label_map(plan.owner_path, plan.width, plan.height)
    runner, runner_w = read_label_map(plan.runner_up_path, plan.width, plan.height)
    n = len(plan.regions) + 1
    if owner.max() >= n or runner.max() >= n:
        raise PlanError(f"{plan.owner_path} names label {max(owner.max(), runner.max())} but the plan has {n - 1} regions.")
    # Pad to whole latent blocks by repeating the edge (the canvas need not be a multiple of the factor).
    ph, pw = latent_h * factor - plan.height, latent_w * factor - plan.width
    pad = ((0, ph), (0, pw))
    owner, owner_w = np.pad(owner, pad, mode="edge"), np.pad(owner_w, pad, mode="edge")
    runner, runner_w = np.pad(runner, pad, mode="edge"), np.pad(runner_w, pad, mode="edge")
    runner_w = np.where(runner > 0, runner_w, 0.0)
    masks = np.zeros((n, latent_h, latent_w), dtype=np.float32)
    band = max(1, (1 << 22) // max(1, latent_w * n))  # latent rows per pass: bounded memory
    for y0 in range(0, latent_h, band):
        y1 = min(latent_h, y0 + band)
        rows = slice(y0 * factor, y1 * factor)
        cy, cx = np.mgrid[y0:y1, 0:latent_w]
        cell = ((cy - y0) * latent_w + cx).repeat(factor, 0).repeat(factor, 1)
        cells = (y1 - y0) * latent_w
        acc = np.bincount((cell * n + owner[rows]).ravel(), weights=owner_w[rows].ravel(), minlength=cells * n)
        acc += np.bincount((cell * n + runner[rows]).ravel(), weights=runner_w[rows].ravel(), minlength=cells * n)
        masks[:, y0:y1, :] = (acc.reshape(y1 - y0, latent_w, n) / (factor * factor)).transpose(2, 0, 1)
    return masks


# --------------------------------------------------------------------------------------------------
# Prompts


def region_prompt(region: Region, template: str, trigger: str | None, threshold: float) -> str:
    """The region's text with the LoRA trigger before each highlighted word (weight ≥ threshold)."""
    if trigger:
        text = " ".join(f"{trigger} {w}" if weight > 0 and weight >= threshold else w for w, weight in region.words)
    else:
        text = " ".join(w for w, _ in region.words) or region.text
    return template.replace("{text}", text).replace("{id}", region.id)


def lora_strength(region: Region, scale: float, threshold: float) -> float:
    """The LoRA's strength for a region: its strongest highlight × scale, in steps of 0.05 (so regions
    share batches); 0 without highlighted words."""
    top = max((w for _, w in region.highlights if w > 0 and w >= threshold), default=0.0)
    return round(scale * top * 20) / 20


# --------------------------------------------------------------------------------------------------
# Windows


def windows_for(mask: np.ndarray, window: tuple[int, int], stride: int) -> list[tuple[int, int]]:
    """Top-left corners of the windows (window[0] rows × window[1] columns) that tile the mask's
    bounding box at `stride`, snapped inside the canvas, keeping only those the mask reaches."""
    h, w = mask.shape
    wh, ww = window
    ys, xs = np.nonzero(mask > 1e-4)
    if len(ys) == 0:
        return []

    def starts(lo: int, hi: int, size: int, limit: int) -> list[int]:
        if limit <= size:
            return [0]
        if hi - lo + 1 <= size:  # one window, centred on the mask
            return [min(max(0, (lo + hi + 1) // 2 - size // 2), limit - size)]
        first, last = lo, hi + 1 - size
        ends = list(range(first, last, stride)) + [last]
        return sorted({min(max(0, v), limit - size) for v in ends})

    out = []
    for y in starts(ys.min(), ys.max(), wh, h):
        for x in starts(xs.min(), xs.max(), ww, w):
            if mask[y:y + wh, x:x + ww].max() > 1e-4:
                out.append((y, x))
    return out


# --------------------------------------------------------------------------------------------------
# Model


def load_pipeline(model: str, device: str, dtype, allow_download: bool, lora: str | None):
    import torch  # noqa: F401
    from diffusers import DiffusionPipeline, StableDiffusionPipeline, StableDiffusionXLPipeline

    kwargs = dict(torch_dtype=dtype)
    if Path(model).is_file():
        # A single checkpoint (.safetensors / .ckpt): SDXL when its name says so, else SD 1.x/2.x.
        cls = StableDiffusionXLPipeline if re.search(r"xl", Path(model).name, re.I) else StableDiffusionPipeline
        pipe = cls.from_single_file(model, local_files_only=not allow_download, **kwargs)
    else:
        pipe = DiffusionPipeline.from_pretrained(model, local_files_only=not allow_download, **kwargs)
    for name in ("safety_checker", "feature_extractor", "image_encoder"):
        if hasattr(pipe, name):
            setattr(pipe, name, None)
    if lora:
        pipe.load_lora_weights(lora, local_files_only=not allow_download)
    pipe.to(device)
    pipe.set_progress_bar_config(disable=True)
    return pipe


def is_xl(pipe) -> bool:
    return getattr(pipe, "text_encoder_2", None) is not None


def encode_prompts(pipe, prompts: list[str], negative: str, device, guidance: float, lora_scale: float | None):
    """(cond, uncond, pooled_cond, pooled_uncond) for SDXL, pooled ones None for SD."""
    cfg = guidance > 1
    if is_xl(pipe):
        pe, ne, pp, np_ = pipe.encode_prompt(prompt=prompts, device=device, num_images_per_prompt=1,
                                              do_classifier_free_guidance=cfg, negative_prompt=[negative] * len(prompts),
                                              lora_scale=lora_scale)
        return pe, ne, pp, np_
    pe, ne = pipe.encode_prompt(prompts, device, 1, cfg, negative_prompt=[negative] * len(prompts), lora_scale=lora_scale)
    return pe, ne, None, None


def flat_latents(pipe, colors: np.ndarray, device, dtype):
    """VAE latents of flat colour images (one latent vector per colour): the bootstrap backgrounds."""
    import torch

    f = 2 ** (len(pipe.vae.config.block_out_channels) - 1)
    size = 8 * f
    images = torch.tensor(colors, dtype=dtype, device=device)[:, :, None, None].repeat(1, 1, size, size) * 2 - 1
    with torch.no_grad():
        z = pipe.vae.encode(images.to(pipe.vae.dtype)).latent_dist.mean * pipe.vae.config.scaling_factor
    return z.mean(dim=(2, 3)).to(dtype)  # [colours, C]


# --------------------------------------------------------------------------------------------------
# Painting


def paint(plan: Plan, pipe, *, steps: int, guidance: float, bootstrap: int, window_px: int, stride_px: int,
          batch: int, negative: str, template: str, background_prompt: str | None, trigger: str | None,
          lora_scale: float, threshold: float, seed: int | None, device: str, vae_tiling: bool, log=print) -> Image.Image:
    import torch

    unet, vae, scheduler = pipe.unet, pipe.vae, pipe.scheduler
    dtype = unet.dtype
    factor = 2 ** (len(vae.config.block_out_channels) - 1)
    unet_multiple = 2 ** (len(unet.config.block_out_channels) - 1)
    latent_h, latent_w = math.ceil(plan.height / factor), math.ceil(plan.width / factor)
    # Windows: the model's native size (at most the canvas), a multiple of what the UNet downsamples by.
    native = (unet.config.sample_size if isinstance(unet.config.sample_size, int) else unet.config.sample_size[0])
    side = window_px // factor if window_px else native
    wh = max(unet_multiple, min(side, latent_h) // unet_multiple * unet_multiple)
    ww = max(unet_multiple, min(side, latent_w) // unet_multiple * unet_multiple)
    latent_h, latent_w = max(latent_h, wh), max(latent_w, ww)
    stride = max(1, (stride_px // factor) if stride_px else max(1, wh // 2))

    masks_np = latent_masks(plan, factor, latent_h, latent_w)
    masks = torch.from_numpy(masks_np).to(device=device, dtype=torch.float32)
    prompts = [background_prompt or plan.background_prompt] + [region_prompt(r, template, trigger, threshold) for r in plan.regions]
    strengths = [0.0] + [lora_strength(r, lora_scale, threshold) if trigger or lora_scale else 0.0 for r in plan.regions]
    cfg = guidance > 1

    # Prompt embeddings, per LoRA strength (a LoRA on the text encoder changes them).
    n = len(prompts)
    cond, uncond, pooled, pooled_uncond = [None] * n, [None] * n, [None] * n, [None] * n
    for strength in sorted(set(strengths)):
        idx = [i for i in range(n) if strengths[i] == strength]
        for k in range(0, len(idx), 64):
            part = idx[k:k + 64]
            pe, ne, pp, npp = encode_prompts(pipe, [prompts[i] for i in part], negative, device, guidance,
                                             strength if strength > 0 else None)
            for j, i in enumerate(part):
                cond[i] = pe[j]
                uncond[i] = ne[j] if ne is not None else None
                pooled[i] = pp[j] if pp is not None else None
                pooled_uncond[i] = npp[j] if npp is not None else None

    # Jobs: (prompt, y, x) for every window a prompt's mask reaches, grouped by LoRA strength.
    jobs = [(i, y, x) for i in range(n) for (y, x) in windows_for(masks_np[i], (wh, ww), stride)]
    groups: dict[float, list] = {}
    for job in jobs:
        groups.setdefault(strengths[job[0]], []).append(job)
    log(f"paint_plan: {plan.width}×{plan.height} px, latent {latent_w}×{latent_h}, window {ww}×{wh}, stride {stride}, "
        f"{n - 1} regions + background, {len(jobs)} windows per step, {steps} steps")

    generator = torch.Generator(device="cpu").manual_seed(plan.seed if seed is None else seed)
    channels = unet.config.in_channels
    scheduler.set_timesteps(steps, device=device)
    latent = torch.randn((1, channels, latent_h, latent_w), generator=generator, dtype=torch.float32).to(device)
    latent = latent * scheduler.init_noise_sigma
    # Bootstrapping: flat colour backgrounds, and a fixed noise per region to bring them to timestep t.
    bootstrap = min(bootstrap, steps)
    if bootstrap > 0:
        colors = torch.rand((16, 3), generator=generator).numpy()
        backgrounds = flat_latents(pipe, colors, device, torch.float32)
        picks = torch.randint(0, 16, (bootstrap, n), generator=generator)
    region_noise = {}

    def bootstrap_noise(i):
        if i not in region_noise:
            g = torch.Generator(device="cpu").manual_seed(plan.regions[i - 1].seed)
            region_noise[i] = torch.randn((channels, wh, ww), generator=g).to(device)
        return region_noise[i]

    xl = is_xl(pipe)
    start = time.time()
    for step, t in enumerate(scheduler.timesteps):
        value = torch.zeros_like(latent)
        count = torch.zeros((1, 1, latent_h, latent_w), device=device)
        for strength, group in groups.items():
            for k in range(0, len(group), batch):
                part = group[k:k + batch]
                views, weights = [], []
                for (i, y, x) in part:
                    view = latent[0, :, y:y + wh, x:x + ww]
                    m = masks[i, y:y + wh, x:x + ww]
                    if step < bootstrap and i > 0:
                        bg = backgrounds[picks[step, i]][:, None, None].expand(channels, wh, ww)
                        bg = scheduler.add_noise(bg[None], bootstrap_noise(i)[None], t.reshape(1))[0]
                        hard = (m >= 0.5).to(view.dtype)
                        view = view * hard + bg * (1 - hard)
                    views.append(view)
                    weights.append(m)
                x_in = scheduler.scale_model_input(torch.stack(views), t).to(dtype)
                emb = torch.stack([cond[i] for (i, _, _) in part])
                kwargs = {}
                if xl:
                    text_embeds = torch.stack([pooled[i] for (i, _, _) in part])
                    time_ids = torch.tensor([[plan.height, plan.width, y * factor, x * factor, wh * factor, ww * factor]
                                             for (_, y, x) in part], device=device, dtype=dtype)
                if cfg:
                    x_in = torch.cat([x_in, x_in])
                    emb = torch.cat([torch.stack([uncond[i] for (i, _, _) in part]), emb])
                    if xl:
                        text_embeds = torch.cat([torch.stack([pooled_uncond[i] for (i, _, _) in part]), text_embeds])
                        time_ids = torch.cat([time_ids, time_ids])
                if xl:
                    kwargs["added_cond_kwargs"] = {"text_embeds": text_embeds, "time_ids": time_ids}
                if strength > 0:
                    kwargs["cross_attention_kwargs"] = {"scale": strength}
                with torch.no_grad():
                    out = unet(x_in, t, encoder_hidden_states=emb, return_dict=False, **kwargs)[0].float()
                if cfg:
                    out_uncond, out_cond = out.chunk(2)
                    out = out_uncond + guidance * (out_cond - out_uncond)
                # Fuse: each prediction counts where its prompt's mask does.
                for j, (i, y, x) in enumerate(part):
                    value[0, :, y:y + wh, x:x + ww] += out[j] * weights[j]
                    count[0, :, y:y + wh, x:x + ww] += weights[j]
        fused = torch.where(count > 0, value / count.clamp_min(1e-8), value)
        latent = scheduler.step(fused, t, latent, return_dict=False)[0]
        log(f"paint_plan: step {step + 1}/{steps} ({time.time() - start:.1f} s)")

    return decode(pipe, latent, plan, vae_tiling)


def decode(pipe, latent, plan: Plan, tiling: bool) -> Image.Image:
    import torch

    vae = pipe.vae
    if getattr(vae.config, "force_upcast", False) and vae.dtype == torch.float16:
        vae.to(torch.float32)  # SDXL's VAE overflows in fp16
    if tiling:
        vae.enable_tiling()
    z = latent / vae.config.scaling_factor
    if getattr(vae.config, "shift_factor", None):
        z = z + vae.config.shift_factor
    with torch.no_grad():
        image = vae.decode(z.to(vae.dtype), return_dict=False)[0]
    image = ((image.float() / 2 + 0.5).clamp(0, 1)[0].permute(1, 2, 0).cpu().numpy() * 255).round().astype(np.uint8)
    return Image.fromarray(image[:plan.height, :plan.width])


def save(image: Image.Image, plan: Plan, path: Path, painter: str) -> None:
    """The painting with the plan's fingerprint (what `atlas render --painting` checks), written atomically."""
    info = PngImagePlugin.PngInfo()
    info.add_text(FINGERPRINT_KEY, plan.fingerprint)
    info.add_text("latentatlas:painter", painter)
    info.add_text("Software", "LatentAtlas paint_plan.py")
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    image.save(temp, format="PNG", pnginfo=info, dpi=(plan.dpi, plan.dpi))
    os.replace(temp, path)


# --------------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Paint a LatentAtlas region plan with a diffusion model (region-based MultiDiffusion).")
    p.add_argument("plan", help="plan.json from 'atlas render --export-plan', or its folder")
    p.add_argument("--model", required=True, help="a diffusers model folder, a .safetensors checkpoint, or a model id in the local Hugging Face cache")
    p.add_argument("-o", "--output", help="where to write the painting (default: painting.png beside the plan)")
    p.add_argument("--steps", type=int, default=30, help="denoising steps (default 30; 1-4 for SD-Turbo)")
    p.add_argument("--guidance", type=float, default=7.5, help="classifier-free guidance scale; 0 or 1 turns it off (Turbo models)")
    p.add_argument("--bootstrap", type=float, default=0.2, help="bootstrapping: a fraction of the steps (<1) or a number of steps (default 0.2)")
    p.add_argument("--window", type=int, default=0, help="window side in pixels (default: the model's native size, 512 for SD 1.5, 1024 for SDXL)")
    p.add_argument("--stride", type=int, default=0, help="window stride in pixels when a mask is wider than a window (default: half a window)")
    p.add_argument("--batch", type=int, default=8, help="windows per UNet call (default 8)")
    p.add_argument("--prompt", default="{text}, detailed illustration", help="region prompt template; {text} is the region's text, {id} its id")
    p.add_argument("--background-prompt", help="prompt outside the disc (default: the plan's)")
    p.add_argument("--negative", default="blurry, low quality, watermark, text artifacts", help="negative prompt")
    p.add_argument("--lora", help="a LoRA (file or folder) to load")
    p.add_argument("--lora-trigger", help="the LoRA's trigger word, put before every highlighted word")
    p.add_argument("--lora-scale", type=float, default=1.0, help="LoRA strength for a word of activation 1 (default 1)")
    p.add_argument("--highlight-threshold", type=float, default=0.0, help="highlighted words weaker than this get no trigger")
    p.add_argument("--seed", type=int, help="noise seed (default: the plan's)")
    p.add_argument("--device", default=None, help="cuda, mps or cpu (default: the best available)")
    p.add_argument("--dtype", choices=["float16", "bfloat16", "float32"], help="default float16 on a GPU, float32 on the CPU")
    p.add_argument("--no-vae-tiling", action="store_true", help="decode the whole canvas at once")
    p.add_argument("--allow-download", action="store_true", help="let diffusers download the model if it is not local")
    p.add_argument("-q", "--quiet", action="store_true")
    args = p.parse_args(argv)

    import torch

    log = (lambda *_: None) if args.quiet else (lambda m: print(m, file=sys.stderr))
    try:
        plan = read_plan(args.plan)
        device = args.device or ("cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu")
        dtype = getattr(torch, args.dtype) if args.dtype else (torch.float32 if device == "cpu" else torch.float16)
        if args.lora_trigger and not args.lora:
            raise PlanError("--lora-trigger names the trigger of a LoRA; give the LoRA with --lora.")
        pipe = load_pipeline(args.model, device, dtype, args.allow_download, args.lora)
        bootstrap = int(round(args.bootstrap * args.steps)) if args.bootstrap < 1 else int(args.bootstrap)
        image = paint(plan, pipe, steps=args.steps, guidance=args.guidance, bootstrap=bootstrap, window_px=args.window,
                      stride_px=args.stride, batch=max(1, args.batch), negative=args.negative, template=args.prompt,
                      background_prompt=args.background_prompt, trigger=args.lora_trigger,
                      lora_scale=args.lora_scale if args.lora else 0.0, threshold=args.highlight_threshold,
                      seed=args.seed, device=device, vae_tiling=not args.no_vae_tiling, log=log)
        out = Path(args.output) if args.output else plan.path.parent / "painting.png"
        save(image, plan, out, f"paint_plan.py, {Path(args.model).name}, {args.steps} steps")
        log(f"wrote {out} ({plan.width}×{plan.height}, plan {plan.fingerprint})")
        return 0
    except PlanError as e:
        print(f"paint_plan: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"paint_plan: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
