"""Test-image formulas shared with Swift (Tests/CompareTests/TestPatterns.swift and
Benchmarks/AtlasBenchmarks/CompareBenchmark.swift): integer arithmetic only, so both languages
produce identical bytes. Images are uint8 arrays of shape (height, width, 4), RGBA."""
import numpy as np

M32 = 0xFFFFFFFF


def hash32(v):
    """lowbias32 integer hash on uint32 arrays."""
    v = np.asarray(v, dtype=np.uint64) & M32
    v ^= v >> 16
    v = (v * 0x7FEB352D) & M32
    v ^= v >> 15
    v = (v * 0x846CA68B) & M32
    v ^= v >> 16
    return v


def grid(width, height):
    y, x = np.mgrid[0:height, 0:width]
    return x.astype(np.int64), y.astype(np.int64)


def noise(seed, width, height, channel, shift=0):
    """Hash of (seed, x, y, channel) in 0..2^32-1, for column x - shift."""
    x, y = grid(width, height)
    return hash32((seed * 0x9E3779B1 + ((y * 4099 + (x - shift)) * 4 + channel)) & M32).astype(np.int64)


def gradient(width, height):
    x, y = grid(width, height)
    r = x * 255 // (width - 1)
    g = y * 255 // (height - 1)
    b = (x + y) * 255 // (width + height - 2)
    return np.stack([r, g, b], axis=-1)


def coverage(width, height, cx8, cy8, r8):
    """Disc coverage 0..16 by 4x4 supersampling; centre and radius in 1/8 pixels."""
    x, y = grid(width, height)
    k = np.zeros((height, width), dtype=np.int64)
    for sy in range(4):
        for sx in range(4):
            dx = 8 * x + 2 * sx + 1 - cx8
            dy = 8 * y + 2 * sy + 1 - cy8
            k += (dx * dx + dy * dy <= r8 * r8).astype(np.int64)
    return k


def over(rgb, k, colour):
    """Paints `colour` with coverage k/16 over rgb (floor)."""
    c = np.array(colour, dtype=np.int64)
    return (rgb * (16 - k[..., None]) + c * k[..., None]) // 16


def scene(width, height, shift8=0):
    """Gradient with two anti-aliased discs and a hairline grid; discs move right by shift8/8 px."""
    rgb = gradient(width, height)
    rgb = over(rgb, coverage(width, height, 8 * width // 3 + shift8, 8 * height // 2, 8 * height // 4), (30, 30, 60))
    rgb = over(rgb, coverage(width, height, 8 * width * 2 // 3 + shift8, 8 * height // 3, 8 * height // 6), (250, 220, 40))
    x, y = grid(width, height)
    line = ((x % 16) == 5) | ((y % 16) == 11)
    rgb = np.where(line[..., None], (rgb * 3) // 4, rgb)
    return rgb


def with_noise(rgb, seed, amplitude):
    """Adds hash noise in -amplitude..amplitude per channel, clamped."""
    h, w = rgb.shape[:2]
    n = np.stack([noise(seed, w, h, c) % (2 * amplitude + 1) - amplitude for c in range(3)], axis=-1)
    return np.clip(rgb + n, 0, 255)


def random_image(width, height, seed):
    return np.stack([noise(seed, width, height, c) % 256 for c in range(3)], axis=-1)


def box_blur(rgb):
    """3x3 mean with edge clamping, floor."""
    h, w = rgb.shape[:2]
    p = np.pad(rgb, ((1, 1), (1, 1), (0, 0)), mode="edge")
    s = sum(p[dy:dy + h, dx:dx + w] for dy in range(3) for dx in range(3))
    return s // 9


def recolour_block(rgb, x0, y0, x1, y1, colour):
    out = rgb.copy()
    out[y0:y1, x0:x1] = colour
    return out


def opaque(rgb):
    a = np.full(rgb.shape[:2] + (1,), 255, dtype=np.int64)
    return np.concatenate([rgb, a], axis=-1).astype(np.uint8)


def with_alpha(rgb, seed):
    """Alpha from hash noise: 255, 191, 127 or 63."""
    h, w = rgb.shape[:2]
    a = 255 - (noise(seed, w, h, 3) % 4) * 64
    return np.concatenate([rgb, a[..., None]], axis=-1).astype(np.uint8)


def pairs():
    """(name, A, B) for the reference-agreement tests."""
    w, h = 96, 72
    base = scene(w, h)
    yield "identical", opaque(base), opaque(base)
    yield "gradient_noise3", opaque(gradient(w, h)), opaque(with_noise(gradient(w, h), 7, 3))
    yield "scene_noise24", opaque(base), opaque(with_noise(base, 11, 24))
    yield "subpixel_shift", opaque(base), opaque(scene(w, h, shift8=3))
    yield "one_pixel_shift", opaque(base), opaque(scene(w, h, shift8=8))
    yield "blurred", opaque(base), opaque(box_blur(base))
    yield "block_recolour", opaque(base), opaque(recolour_block(base, 20, 10, 40, 30, (200, 40, 40)))
    yield "random_vs_random", opaque(random_image(w, h, 1)), opaque(random_image(w, h, 2))
    yield "odd_size", opaque(scene(37, 23)), opaque(with_noise(scene(37, 23, shift8=5), 3, 2))
    # Tall enough for several row bands in both the scan (64 rows) and SSIM (128 rows).
    yield "tall_blurred", opaque(scene(40, 300)), opaque(box_blur(scene(40, 300, shift8=2)))
    yield "translucent", with_alpha(base, 5), with_alpha(with_noise(base, 13, 4), 6)


def benchmark_pair(size=4096):
    """A large render-like pair: B has its discs moved 3/8 px and light noise in one quadrant."""
    a = scene(size, size)
    b = scene(size, size, shift8=3)
    q = size // 4
    b[q:2 * q, q:2 * q] = with_noise(b[q:2 * q, q:2 * q], 21, 2)
    return opaque(a), opaque(b)
