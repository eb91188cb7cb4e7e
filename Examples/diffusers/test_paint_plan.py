"""End-to-end test of the reference painter without model weights (`make test-diffusers`).

A tiny Stable Diffusion pipeline (UNet, VAE, CLIP text encoder and tokenizer with a few channels) is
built from configs here, randomly initialised and saved locally: nothing is downloaded. It paints a
plan that `atlas render --export-plan` wrote for a small example, on the CPU; the image is noise,
but the masks, the fusion over windows, the bootstrapping, the tiled VAE decode and the fingerprint
are the real ones, and `atlas render --painting` composites the painting into a full atlas.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
import paint_plan  # noqa: E402

# One thread: tiny tensors gain nothing from more, and on a busy machine spinning threads cost 20×.
torch.set_num_threads(1)
ATLAS = os.environ.get("ATLAS", str(ROOT / ".build/debug/atlas"))
CANVAS = ["--style", "preview", "--set", "canvas.width=256", "--set", "canvas.height=256", "--set", "decode.latent_scale=0.5"]


def atlas(*args, check=True):
    r = subprocess.run([ATLAS, *args], capture_output=True, text=True, cwd=ROOT)
    if check and r.returncode != 0:
        raise AssertionError(f"atlas {' '.join(args)} failed ({r.returncode}): {r.stderr}")
    return r


@pytest.fixture(scope="session")
def example(tmp_path_factory) -> Path:
    """The first 40 contexts of the clockwork example."""
    lines = (ROOT / "Examples/clockwork.jsonl").read_text(encoding="utf-8").splitlines()[:41]
    path = tmp_path_factory.mktemp("input") / "clockwork.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def plan_dir(example, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("plans")
    atlas("render", str(example), *CANVAS, "--export-plan", str(out), "-q")
    return out / "clockwork"


def tiny_tokenizer():
    from transformers import CLIPTokenizer

    # Byte-level characters, alone and word-final, and the two specials: no merges, one token per character.
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    chars = [chr(c) for c in cs]
    vocab = {c: i for i, c in enumerate(chars)}
    vocab.update({c + "</w>": 256 + i for i, c in enumerate(chars)})
    vocab["<|startoftext|>"] = 512
    vocab["<|endoftext|>"] = 513
    return CLIPTokenizer(vocab=vocab, merges=[], model_max_length=77)


def tiny_sd(folder: Path, scheduler="ddim") -> Path:
    from diffusers import AutoencoderKL, DDIMScheduler, EulerDiscreteScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel

    torch.manual_seed(0)
    tokenizer = tiny_tokenizer()
    text_encoder = CLIPTextModel(CLIPTextConfig(
        vocab_size=1000, hidden_size=32, intermediate_size=37, num_attention_heads=4, num_hidden_layers=2,
        max_position_embeddings=77, bos_token_id=512, eos_token_id=513, pad_token_id=513, projection_dim=32))
    unet = UNet2DConditionModel(
        sample_size=16, in_channels=4, out_channels=4, layers_per_block=1, block_out_channels=(16, 32),
        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"), up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
        cross_attention_dim=32, attention_head_dim=4, norm_num_groups=8)
    # Three levels: a latent pixel is 4×4 output pixels; 64-pixel VAE tiles, so a 256-pixel canvas decodes in tiles.
    vae = AutoencoderKL(
        in_channels=3, out_channels=3, down_block_types=["DownEncoderBlock2D"] * 3, up_block_types=["UpDecoderBlock2D"] * 3,
        block_out_channels=[8, 16, 16], latent_channels=4, norm_num_groups=8, sample_size=64)
    common = dict(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear")
    sched = (DDIMScheduler(clip_sample=False, set_alpha_to_one=False, **common) if scheduler == "ddim"
             else EulerDiscreteScheduler(timestep_spacing="trailing", **common))
    pipe = StableDiffusionPipeline(vae=vae, text_encoder=text_encoder, tokenizer=tokenizer, unet=unet, scheduler=sched,
                                   safety_checker=None, feature_extractor=None, requires_safety_checker=False)
    pipe.save_pretrained(folder)
    return folder


def tiny_sdxl(folder: Path) -> Path:
    from diffusers import AutoencoderKL, EulerDiscreteScheduler, StableDiffusionXLPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

    torch.manual_seed(0)
    config = dict(vocab_size=1000, hidden_size=32, intermediate_size=37, num_attention_heads=4, num_hidden_layers=2,
                  max_position_embeddings=77, bos_token_id=512, eos_token_id=513, pad_token_id=513, projection_dim=32,
                  hidden_act="gelu")
    unet = UNet2DConditionModel(
        sample_size=16, in_channels=4, out_channels=4, layers_per_block=1, block_out_channels=(16, 32),
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"), up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        attention_head_dim=(2, 4), use_linear_projection=True, addition_embed_type="text_time", addition_time_embed_dim=8,
        transformer_layers_per_block=(1, 1), projection_class_embeddings_input_dim=6 * 8 + 32, cross_attention_dim=64,
        norm_num_groups=8)
    vae = AutoencoderKL(
        in_channels=3, out_channels=3, down_block_types=["DownEncoderBlock2D"] * 3, up_block_types=["UpDecoderBlock2D"] * 3,
        block_out_channels=[8, 16, 16], latent_channels=4, norm_num_groups=8, sample_size=64)
    pipe = StableDiffusionXLPipeline(
        vae=vae, text_encoder=CLIPTextModel(CLIPTextConfig(**config)), text_encoder_2=CLIPTextModelWithProjection(CLIPTextConfig(**config)),
        tokenizer=tiny_tokenizer(), tokenizer_2=tiny_tokenizer(), unet=unet,
        scheduler=EulerDiscreteScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", timestep_spacing="trailing"),
        force_zeros_for_empty_prompt=False)
    pipe.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def sd_model(tmp_path_factory) -> Path:
    return tiny_sd(tmp_path_factory.mktemp("tiny-sd"))


# ---------------------------------------------------------------------------------------------------


def test_masks_tile_the_canvas_and_follow_the_label_map(plan_dir):
    plan = paint_plan.read_plan(plan_dir / "plan.json")
    assert plan.width == plan.height == 256 and len(plan.regions) == 40
    masks = paint_plan.latent_masks(plan, 4, 64, 64)
    assert masks.shape == (41, 64, 64)
    np.testing.assert_allclose(masks.sum(axis=0), 1.0, atol=1e-5)
    # Area averaging: a latent pixel wholly inside one region's cell (no seam) is 1 for it.
    owner, weight = paint_plan.read_label_map(plan.owner_path, 256, 256)
    y, x = 32, 32
    block = owner[y * 4:(y + 1) * 4, x * 4:(x + 1) * 4]
    if (block == block[0, 0]).all() and (weight[y * 4:(y + 1) * 4, x * 4:(x + 1) * 4] == 1).all():
        assert masks[block[0, 0], y, x] == pytest.approx(1.0)
    # Every region with a cell is somewhere; the corners are background.
    assert all(masks[k].max() > 0 for k in range(1, 41) if (owner == k).any())
    assert masks[0, 0, 0] == 1.0


def test_windows_cover_every_mask(plan_dir):
    plan = paint_plan.read_plan(plan_dir)
    masks = paint_plan.latent_masks(plan, 4, 64, 64)
    for k in range(masks.shape[0]):
        covered = np.zeros((64, 64), bool)
        wins = paint_plan.windows_for(masks[k], (16, 16), 8)
        for y, x in wins:
            assert 0 <= y <= 48 and 0 <= x <= 48
            covered[y:y + 16, x:x + 16] = True
        assert covered[masks[k] > 1e-4].all(), f"mask {k} is not covered by its windows"


def test_lora_trigger_marks_the_highlighted_words():
    r = paint_plan.Region(label=1, id="a", text="brass gears turn", words=[("brass", 0.0), ("gears", 1.0), ("turn", 0.4)],
                          highlights=[("gears", 1.0), ("turn", 0.4)], seed=1, color="#000000")
    assert paint_plan.region_prompt(r, "{text}, etching", None, 0) == "brass gears turn, etching"
    assert paint_plan.region_prompt(r, "{text}", "hlgt", 0.0) == "brass hlgt gears hlgt turn"
    assert paint_plan.region_prompt(r, "{text}", "hlgt", 0.5) == "brass hlgt gears turn"
    assert paint_plan.lora_strength(r, 0.8, 0) == 0.8
    r.highlights = [("turn", 0.4)]
    assert paint_plan.lora_strength(r, 0.8, 0) == pytest.approx(0.3)  # 0.32 in steps of 0.05
    assert paint_plan.lora_strength(r, 0.8, 0.5) == 0


def test_paints_the_plan_and_composites_a_full_atlas(plan_dir, sd_model, example, tmp_path):
    painting = tmp_path / "painting.png"
    rc = paint_plan.main([str(plan_dir / "plan.json"), "--model", str(sd_model), "--steps", "4", "--bootstrap", "2",
                          "--device", "cpu", "-o", str(painting), "-q"])
    assert rc == 0
    image = Image.open(painting)
    plan = paint_plan.read_plan(plan_dir)
    assert image.size == (256, 256) and image.mode == "RGB"
    assert image.text["latentatlas:plan-fingerprint"] == plan.fingerprint
    pixels = np.asarray(image)
    assert pixels.std() > 1  # not flat: the windows were painted and decoded
    # The same plan, model and seed paint the same pixels.
    again = tmp_path / "again.png"
    assert paint_plan.main([str(plan_dir), "--model", str(sd_model), "--steps", "4", "--bootstrap", "2",
                            "--device", "cpu", "-o", str(again), "-q"]) == 0
    assert (np.asarray(Image.open(again)) == pixels).all()

    # atlas render --painting composites it: the full atlas (edges, circle, typography) over the painting.
    out = ROOT / "Output" / "diffusers-test"
    r = atlas("render", str(example), *CANVAS, "--painting", str(painting), "-o", str(out))
    assert r.stderr == "", r.stderr
    atlas_png = Image.open(out / "clockwork.png")
    assert atlas_png.size == (256, 256)
    assert atlas_png.text["latentatlas:painting-hash"]
    composited = np.asarray(atlas_png.convert("RGB")).astype(int)
    assert np.abs(composited - pixels).mean() > 1  # overlays were drawn
    builtin = tmp_path / "builtin"
    atlas("render", str(example), *CANVAS, "-o", str(builtin), "-q")
    assert atlas_png.text["latentatlas:fingerprint"] != Image.open(builtin / "clockwork.png").text["latentatlas:fingerprint"]


def test_a_painting_of_another_plan_is_refused(plan_dir, sd_model, example, tmp_path):
    other = tmp_path / "plans"
    atlas("render", str(example), *CANVAS, "--seed", "7", "--export-plan", str(other), "-q")
    painting = tmp_path / "other.png"
    assert paint_plan.main([str(other / "clockwork"), "--model", str(sd_model), "--steps", "1", "--guidance", "0",
                            "--device", "cpu", "-o", str(painting), "-q"]) == 0
    r = atlas("render", str(example), *CANVAS, "--painting", str(painting), "-o", str(tmp_path / "out"), check=False)
    assert r.returncode == 1
    assert str(painting) in r.stderr and paint_plan.read_plan(other / "clockwork").fingerprint in r.stderr
    assert paint_plan.read_plan(plan_dir).fingerprint in r.stderr


def test_few_step_euler_without_guidance(plan_dir, tmp_path):
    model = tiny_sd(tmp_path / "turbo", scheduler="euler")
    out = tmp_path / "turbo.png"
    assert paint_plan.main([str(plan_dir), "--model", str(model), "--steps", "2", "--guidance", "0", "--bootstrap", "1",
                            "--device", "cpu", "-o", str(out), "-q"]) == 0
    assert Image.open(out).size == (256, 256)


def test_sdxl_class_pipeline(plan_dir, tmp_path):
    model = tiny_sdxl(tmp_path / "xl")
    out = tmp_path / "xl.png"
    assert paint_plan.main([str(plan_dir), "--model", str(model), "--steps", "2", "--guidance", "3", "--device", "cpu",
                            "-o", str(out), "-q"]) == 0
    image = Image.open(out)
    assert image.size == (256, 256) and np.asarray(image).std() > 1


def test_errors_are_one_sentence(tmp_path, capsys):
    assert paint_plan.main([str(tmp_path / "missing.json"), "--model", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("paint_plan: error: ") and "does not exist" in err and err.count("\n") == 1
