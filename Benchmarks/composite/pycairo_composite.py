#!/usr/bin/env python3
"""The peer for `make bench ARGS=composite`: the same scene drawn with pycairo.

250 soft regions with highlight cores, 3 750 curved edges, the ring with inner rings and 120 ticks,
and the title, subtitle, caption and credits (Pango through PangoCairo via pycairo is not available,
so text uses Cairo's toy API: that only makes this side faster).

    python3 -m venv /tmp/pycairo-venv && /tmp/pycairo-venv/bin/pip install pycairo
    /tmp/pycairo-venv/bin/python Benchmarks/composite/pycairo_composite.py 4096
"""
import math
import sys
import time

import cairo

SIZE = int(sys.argv[1]) if len(sys.argv) > 1 else 4096
COLORS = [(0x26, 0x46, 0x53), (0x2a, 0x9d, 0x8f), (0x8a, 0xb1, 0x7d), (0xe9, 0xc4, 0x6a), (0xf4, 0xa2, 0x61), (0x6d, 0x59, 0x7a)]


class SplitMix:
    """Not the Swift side's generator: the scene's statistics match, which is what the timing needs."""

    def __init__(self, seed):
        self.state = seed

    def uniform(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & (2**64 - 1)
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & (2**64 - 1)
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & (2**64 - 1)
        return ((z ^ (z >> 31)) >> 11) / float(1 << 53)


def draw(size):
    rng = SplitMix(1)
    cx = cy = size / 2
    radius = size / 2 - 0.07 * size
    pts = []
    for i in range(250):
        r = math.sqrt(i / 249) * 0.95
        a = rng.uniform() * 2 * math.pi
        pts.append((cx + r * math.cos(a) * radius, cy - r * math.sin(a) * radius))
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, size, size)
    cr = cairo.Context(surface)
    cr.set_source_rgb(0xF4 / 255, 0xEF / 255, 0xE6 / 255)
    cr.paint()
    for i, (x, y) in enumerate(pts):
        rr = radius * (0.09 - 0.06 * i / 249)
        c = [v / 255 for v in COLORS[i % len(COLORS)]]
        g = cairo.RadialGradient(x, y, 0, x, y, rr)
        g.add_color_stop_rgba(0, *c, 1)
        g.add_color_stop_rgba(0.55, *c, 0.55)
        g.add_color_stop_rgba(1, *c, 0)
        cr.set_source(g)
        cr.new_sub_path()
        cr.arc(x, y, rr, 0, 2 * math.pi)
        cr.fill()
        if i % 3 == 0:
            core = rr * 0.45 * math.sqrt(0.8)
            h = cairo.RadialGradient(x, y, 0, x, y, core)
            h.add_color_stop_rgba(0, 0xE4 / 255, 0x57 / 255, 0x2E / 255, 0.9)
            h.add_color_stop_rgba(1, 0xE4 / 255, 0x57 / 255, 0x2E / 255, 0)
            cr.set_source(h)
            cr.new_sub_path()
            cr.arc(x, y, core, 0, 2 * math.pi)
            cr.fill()
    edges = []
    for k in range(3750):
        edges.append((pts[k % 250], pts[(k * 7 + k // 250 + 1) % 250], 0.3 + 0.7 * rng.uniform()))
    edges.sort(key=lambda e: e[2])
    cr.set_line_cap(cairo.LINE_CAP_ROUND)
    cr.set_line_join(cairo.LINE_JOIN_ROUND)
    for (a, b, w) in edges:
        cr.set_line_width(max(0.0007 * size * (0.35 + 0.65 * w), 0.25))
        cr.set_source_rgba(0x1D / 255, 0x1B / 255, 0x19 / 255, 0.45 * w)
        mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
        qx, qy = mx + (cx - mx) * 0.2, my + (cy - my) * 0.2
        cr.move_to(*a)
        cr.curve_to(a[0] + (qx - a[0]) * 2 / 3, a[1] + (qy - a[1]) * 2 / 3, b[0] + (qx - b[0]) * 2 / 3, b[1] + (qy - b[1]) * 2 / 3, *b)
        cr.stroke()
    lw = 0.0018 * size
    cr.set_line_width(lw)
    cr.set_source_rgba(0x1D / 255, 0x1B / 255, 0x19 / 255, 0.9)
    cr.arc(cx, cy, radius, 0, 2 * math.pi)
    cr.stroke()
    cr.set_line_width(lw * 0.6)
    cr.set_source_rgba(0x1D / 255, 0x1B / 255, 0x19 / 255, 0.18)
    for k in range(1, 4):
        cr.new_sub_path()
        cr.arc(cx, cy, radius * k / 4, 0, 2 * math.pi)
        cr.stroke()
    cr.set_line_width(lw * 0.7)
    cr.set_source_rgba(0x1D / 255, 0x1B / 255, 0x19 / 255, 0.9)
    for k in range(120):
        a = 2 * math.pi * k / 120
        d = (math.sin(a), -math.cos(a))
        ln = 0.006 * size * (2 if k % 10 == 0 else 1)
        cr.move_to(cx + d[0] * radius, cy + d[1] * radius)
        cr.line_to(cx + d[0] * (radius + ln), cy + d[1] * (radius + ln))
        cr.stroke()
    cr.select_font_face("Inter", cairo.FONT_SLANT_NORMAL, cairo.FONT_WEIGHT_BOLD)
    cr.set_font_size(0.022 * size)
    cr.move_to(cx - 0.15 * size, 0.05 * size)
    cr.show_text("Light under the sea")
    cr.set_font_size(0.009 * size)
    for (x, y, t) in [(0.025, 0.03, "gemma-2-2b · layer 12 · latent 4417"), (0.025, 0.97, "glowing and bioluminescent things at sea"),
                      (0.9, 0.97, "LatentAtlas"), (0.48, 0.97, "sea-light")]:
        cr.move_to(x * size, y * size)
        cr.show_text(t)
    surface.flush()
    return surface


best = float("inf")
for _ in range(3):
    t = time.perf_counter()
    draw(SIZE)
    best = min(best, time.perf_counter() - t)
print(f"pycairo compositing {SIZE}² (250 regions, 3 750 curved edges, ring, text): {best:.3f} s")
