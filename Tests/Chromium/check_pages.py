"""The static pages in headless Chromium: the data browser, the index page and the verify report.

`make test-browser` runs it (it installs Chromium, chromedriver and Selenium into .venv-browser).
It renders fixtures with the built `atlas`, opens each page from file:// and checks: no console
error and no request that is not a local file; hovering a context's region shows its card with the
right text; search finds contexts and rings them in the picture; hostile strings are shown
literally, never run (document.title and the DOM stay as built); the verify report's images load
through percent-encoded names. It prints the page load times and the number of hostile strings.

    python Tests/Chromium/check_pages.py --atlas .build/debug/atlas [--out DIR] [--big]

`--big` also renders an 8192 px print (tile pyramid) and times its page.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
import struct

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

# Each goes into a context's id and text, the latent's title, model and description.
HOSTILE = [
    "<script>document.title='PWNED'</script>",
    "\" onerror=\"document.title='PWNED'\" x=\"",
    "' onmouseover='document.title=`PWNED`' '",
    "<img src=x onerror=\"document.title='PWNED'\">",
    "<svg onload=\"document.title='PWNED'\">",
    "</script><script>document.title='PWNED'</script>",
    "<!--", "]]>", "<style>*{display:none}</style>",
    "javascript:document.title='PWNED'",
    "{{constructor.constructor('document.title=1')()}}",
    "${document.title='PWNED'}", "#{7*7}", "<%= 7*7 %>",
    "\u202eevil-override\u202c", "\u2066isolate\u2069", "zero\u200bwidth\u200djoiner\ufeff",
    "line\u2028separator\u2029", "lone \ud800 surrogate", "a&amp;b&lt;c", "`backtick`",
    "<a href=\"javascript:alert(1)\">link</a>", "data:text/html,<script>alert(1)</script>",
    "\\u003cscript\\u003e", "&#60;script&#62;",
]


def run(cmd, ok=(0,)):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode not in ok:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stdout}\n{r.stderr}")
    return r


def write_hostile_fixture(path):
    """A latent whose every string is hostile. Lone surrogates go in as JSON escapes."""
    header = {"latent": {"name": "hostile", "title": "Hostile <b>title</b> \" onerror=\"x", "model": HOSTILE[3],
                         "layer": HOSTILE[9], "index": HOSTILE[14], "description": HOSTILE[0]}}
    lines = [json.dumps(header)]
    for i, s in enumerate(HOSTILE):
        if has_lone_surrogate(s):
            continue
        text = f"context {i}: {s} {{{{glowing}}}} tail"
        lines.append(json.dumps({"id": f"h{i:02d}{s}", "text": text, "score": 1.0 - i * 0.02}))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def has_lone_surrogate(s):
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in s)


def check_lone_surrogates_rejected(c, atlas, work):
    """The reader refuses a lone surrogate with the line and column, so no page ever holds one."""
    n = 0
    for i, s in enumerate(HOSTILE):
        if not has_lone_surrogate(s):
            continue
        path = os.path.join(work, f"surrogate-{i}.jsonl")
        with open(path, "w") as f:
            f.write(json.dumps({"id": "s", "text": s, "score": 1}) + "\n")
        r = subprocess.run([atlas, "render", path, "--format", "html", "-o", os.path.join(work, "surrogate"), "-q"], capture_output=True, text=True)
        c.expect(r.returncode == 1 and "surrogate" in r.stderr and ":1" in r.stderr, f"lone surrogate: {r.returncode} {r.stderr!r}")
        n += 1
    return n


def png(path, w, h, rgb):
    raw = b"".join(b"\0" + bytes(rgb) * w for _ in range(h))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class Browser:
    def __init__(self):
        o = Options()
        for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,900", "--disable-dev-shm-usage",
                  "--allow-file-access-from-files"]:
            o.add_argument(a)
        o.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        binary = shutil.which("chromium")
        if binary:
            o.binary_location = binary
        self.d = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=o)
        self.d.set_window_size(1400, 900)

    def open(self, path):
        self.d.get_log("browser"); self.d.get_log("performance")
        start = time.perf_counter()
        self.d.get("file://" + os.path.abspath(path))
        return start

    def wait(self, js, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            if self.d.execute_script("return " + js):
                return
            time.sleep(0.02)
        raise AssertionError(f"timed out waiting for {js}")

    def problems(self):
        """Console messages at warning level or above, and requests that are not local files."""
        logs = [m for m in self.d.get_log("browser") if m["level"] in ("SEVERE", "WARNING")]
        sent, blocked = {}, set()
        for m in self.d.get_log("performance"):
            msg = json.loads(m["message"])["message"]
            if msg["method"] == "Network.requestWillBeSent":
                sent[msg["params"]["requestId"]] = msg["params"]["request"]["url"]
            elif msg["method"] == "Network.loadingFailed" and msg["params"].get("blockedReason") == "csp":
                blocked.add(msg["params"]["requestId"])
        # A request the CSP blocked never left the browser.
        remote = [u for r, u in sent.items() if not u.startswith("file://") and r not in blocked]
        return logs, remote

    def hover(self, x, y):
        a = ActionBuilder(self.d)
        a.pointer_action.move_to_location(int(x), int(y))
        a.perform()

    def click_at(self, x, y):
        a = ActionBuilder(self.d)
        a.pointer_action.move_to_location(int(x), int(y)).click()
        a.perform()


def page_data(b):
    return b.d.execute_script("return JSON.parse(document.getElementById('atlas-data').textContent)")


def screen_point(b, data, x, y):
    r = b.d.execute_script("const r = document.getElementById('stage').getBoundingClientRect(); return [r.left, r.top, r.width];")
    s = r[2] / data["width"]
    return r[0] + x * s, r[1] + y * s


def inward(data, c, f=0.4):
    """A point inside c's region, pulled toward the atlas centre (the weakest sit on the rim)."""
    ax, ay = data["atlas"]["center"]
    dx, dy = ax - c["x"], ay - c["y"]
    d = max(1e-9, (dx * dx + dy * dy) ** 0.5)
    step = min(d, c["r"] * f)
    return c["x"] + dx / d * step, c["y"] + dy / d * step


def owner(data, x, y):
    """The context whose power cell holds (x, y), inside the atlas disc: what the page must pick."""
    a = data["atlas"]
    if (x - a["center"][0]) ** 2 + (y - a["center"][1]) ** 2 > a["radius"] ** 2:
        return -1
    best, bp = -1, float("inf")
    for i, c in enumerate(data["contexts"]):
        p = (x - c["x"]) ** 2 + (y - c["y"]) ** 2 - c["r"] ** 2
        if p < bp:
            best, bp = i, p
    return best


def plain(c):
    return "".join(r[0] for r in c["runs"])


class Checks:
    def __init__(self):
        self.failures = []
        self.passed = 0

    def expect(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failures.append(what)
            print("FAIL:", what)


def check_clean(b, c, name):
    logs, remote = b.problems()
    c.expect(not logs, f"{name}: console messages {logs}")
    c.expect(not remote, f"{name}: network requests {remote}")


def check_atlas_page(b, c, path, name, screenshot=None):
    start = b.open(path)
    b.wait("document.documentElement.dataset.ready === '1' && [...document.images].every(i => i.complete)")
    loaded = time.perf_counter() - start
    nav = b.d.execute_script("const n = performance.getEntriesByType('navigation')[0]; return [n.domContentLoadedEventEnd, n.loadEventEnd];")
    check_clean(b, c, name)
    data = page_data(b)
    c.expect(b.d.execute_script("return [...document.images].every(i => i.naturalWidth > 0)"), f"{name}: an image did not load")
    # Hover: the context at a point inside the strongest contexts' regions.
    hovered = 0
    for i in sorted(range(len(data["contexts"])), key=lambda k: data["contexts"][k]["rank"])[:5]:
        ctx = data["contexts"][i]
        x, y = ctx["x"] + ctx["r"] * 0.3, ctx["y"] - ctx["r"] * 0.2
        want = data["contexts"][owner(data, x, y)]
        sx, sy = screen_point(b, data, x, y)
        b.hover(sx, sy)
        card = b.d.find_element(By.ID, "card")
        text = card.text if card.is_displayed() else ""
        c.expect(want["id"] in text and plain(want).strip()[:40] in text.replace("\n", " "),
                 f"{name}: hovering ({x:.0f}, {y:.0f}) should show {want['id']!r}, card says {text[:120]!r}")
        marked = [m.text for m in card.find_elements(By.CSS_SELECTOR, ".text mark")]
        want_marked = [r[0] for r in want["runs"] if r[1] is not None]
        c.expect(marked == want_marked, f"{name}: card marks {marked} expected {want_marked}")
        colour = b.d.execute_script("const m = document.querySelector('#card .text mark'); return m ? getComputedStyle(m).color : null")
        c.expect(colour is None or colour != "rgb(0, 0, 0)", f"{name}: highlighted words not in the highlight colour")
        hovered += 1
    # The rings and word boxes are drawn above every tile.
    c.expect(b.d.execute_script("const z = +getComputedStyle(document.getElementById('marks')).zIndex; return [...document.querySelectorAll('#tiles img')].every(i => +getComputedStyle(i).zIndex < z)"),
             f"{name}: the marks layer is under the picture")
    # Click pins: moving away keeps the card.
    ctx = min(data["contexts"], key=lambda k: k["rank"])
    i = data["contexts"].index(ctx)
    if owner(data, ctx["x"], ctx["y"]) == i:
        sx, sy = screen_point(b, data, ctx["x"], ctx["y"])
        b.click_at(sx, sy)
        b.hover(sx + 300, sy + 5)
        card = b.d.find_element(By.ID, "card")
        c.expect(card.is_displayed() and ctx["id"] in card.text and "pinned" in card.get_attribute("class"),
                 f"{name}: clicking should pin {ctx['id']}")
        b.click_at(sx, sy)  # unpin
    # Search: a word from a context's text finds every context containing it and rings them.
    words = [w for w in plain(ctx).lower().split() if len(w) > 4 and w.isalpha()]
    if words:
        q = words[0]
        box = b.d.find_element(By.ID, "search")
        box.clear(); box.send_keys(q)
        expected = {k["id"] for k in data["contexts"] if q in plain(k).lower() or q in k["id"].lower()}
        ringed = set(b.d.execute_script("return [...document.querySelectorAll('#marks g.match circle')].map(e => e.dataset.id)"))
        listed = set(b.d.execute_script("return [...document.querySelectorAll('#list li')].map(e => e.dataset.id)"))
        c.expect(ringed == expected and listed == expected and ctx["id"] in ringed,
                 f"{name}: search {q!r} rings {len(ringed)}, lists {len(listed)}, expected {len(expected)}")
        box.clear(); box.send_keys(ctx["id"])
        ringed = b.d.execute_script("return [...document.querySelectorAll('#marks g.match circle')].map(e => e.dataset.id)")
        c.expect(ctx["id"] in ringed, f"{name}: search by id {ctx['id']!r} finds it")
        box.send_keys(Keys.ENTER)
        c.expect(ctx["id"] in b.d.find_element(By.ID, "card").text, f"{name}: Enter in search pins the first match")
        box.clear(); box.send_keys(" "); box.send_keys(Keys.BACKSPACE)
    # Keyboard: focus the view, n steps to a context, Escape clears.
    view = b.d.find_element(By.ID, "view")
    b.d.execute_script("arguments[0].focus()", view)
    view.send_keys(Keys.ESCAPE); view.send_keys("n")
    card = b.d.find_element(By.ID, "card")
    c.expect(card.is_displayed() and card.text, f"{name}: the n key focuses a context")
    c.expect(b.d.execute_script("return getComputedStyle(arguments[0]).outlineStyle", view) != "none",
             f"{name}: keyboard focus is visible")
    # Sorting by cluster reorders the list.
    b.d.find_element(By.CSS_SELECTOR, "#sort button[data-key=cluster]").click()
    clusters = b.d.execute_script("return [...document.querySelectorAll('#list li')].map(e => JSON.parse(document.getElementById('atlas-data').textContent).contexts[+e.dataset.i].cluster ?? 1e9)")
    c.expect(clusters == sorted(clusters), f"{name}: sorting by cluster")
    b.d.find_element(By.CSS_SELECTOR, "#sort button[data-key=rank]").click()
    check_clean(b, c, name + " after interaction")
    if screenshot:
        b.d.set_window_size(1000, 620)
        b.d.execute_script("arguments[0].focus()", view)
        view.send_keys(Keys.ESCAPE); view.send_keys("0")
        # Pin the strongest context from the list: the view centres and zooms on it, its cell
        # ringed and its painted highlighted words outlined.
        b.d.find_element(By.CSS_SELECTOR, "#list li").click()
        for _ in range(2):
            view.send_keys("-")
        b.wait("[...document.images].every(i => i.complete)")
        b.d.save_screenshot(screenshot)
        b.d.set_window_size(1400, 900)
    return loaded, nav, len(data["contexts"])


def write_pair_fixture(repo, path):
    """The other half of a pair with clockwork: every third clockwork context again (same text,
    new id, another score: present in both) and forty sea-light ones (only here)."""
    rows = [json.loads(l) for l in open(os.path.join(repo, "Examples", "clockwork.jsonl"))]
    sea = [json.loads(l) for l in open(os.path.join(repo, "Examples", "sea-light.jsonl"))][1:41]
    out = [{"latent": {"name": "clockwork-steered", "title": "Clockwork, steered", "model": "gpt2-small", "layer": "8"}}]
    for k, r in enumerate(rows[1::3]):
        out.append({"id": f"steered-{k}", "text": r["text"], "score": round(r["score"] * 0.8, 4)})
    for k, r in enumerate(sea):
        out.append({"id": f"sea-{k}", "text": r["text"], "score": round(r["score"] * 0.5, 4)})
    with open(path, "w") as f:
        for o in out:
            f.write(json.dumps(o) + "\n")


def inside(poly, x, y):
    hit = False
    for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def check_pair(b, c, left, screenshot=None):
    """A pair's two pages: each loads clean, rings the contexts present in both, outlines the
    hovered region's cell, and pinning a shared context sends the partner link to it there."""
    start = b.open(left)
    b.wait("document.documentElement.dataset.ready === '1' && [...document.images].every(i => i.complete)")
    loaded = time.perf_counter() - start
    check_clean(b, c, "pair (left)")
    data = page_data(b)
    c.expect(data["width"] == 2 * data["height"], f"pair: the sheet is {data['width']}×{data['height']}")
    shared = {x["id"]: x["shared"] for x in data["contexts"] if x.get("shared")}
    ringed = set(b.d.execute_script("return [...document.querySelectorAll('#marks g.shared circle')].map(e => e.dataset.id)"))
    c.expect(len(shared) == 84 and ringed == set(shared), f"pair: {len(shared)} shared, {len(ringed)} ringed (expected 84)")
    c.expect(all(x["x"] < data["width"] / 2 for x in data["contexts"]), "pair: the left page's contexts are in the left half")
    # Hover outlines the region's own cell: a polygon around the hovered point.
    ctx = min(data["contexts"], key=lambda k: k["rank"])
    x, y = ctx["x"] + ctx["r"] * 0.2, ctx["y"]
    i = owner(data, x, y)
    b.hover(*screen_point(b, data, x, y))
    pts = b.d.execute_script("const p = document.querySelector('#marks g.focus polygon'); return p ? [p.dataset.id, p.getAttribute('points')] : null")
    poly = [tuple(map(float, q.split(","))) for q in pts[1].split()] if pts else []
    c.expect(pts is not None and pts[0] == data["contexts"][i]["id"] and len(poly) > 3 and inside(poly, x, y),
             f"pair: hovering outlines the cell of {data['contexts'][i]['id']} ({pts and pts[0]}, {len(poly)} points)")
    # Pin a shared context from the list; the partner link now names its counterpart.
    sid = sorted(shared)[0]
    b.d.find_element(By.ID, "search").send_keys(sid)
    b.d.find_element(By.CSS_SELECTOR, "#list li").click()
    href = b.d.find_element(By.ID, "partner").get_attribute("href")
    c.expect(href.endswith("#" + shared[sid]), f"pair: the partner link is {href}, expected …#{shared[sid]}")
    b.d.find_element(By.ID, "partner").click()
    b.wait("document.documentElement.dataset.ready === '1' && [...document.images].every(i => i.complete)")
    check_clean(b, c, "pair (right, from the partner link)")
    card = b.d.find_element(By.ID, "card")
    c.expect(b.d.current_url.endswith(".right.html#" + shared[sid]) and card.is_displayed() and shared[sid] in card.text
             and "pinned" in card.get_attribute("class") and "in both latents" in card.text,
             f"pair: the partner page pins {shared[sid]} ({b.d.current_url}, card {card.text[:80]!r})")
    other = page_data(b)
    c.expect(all(x["x"] >= other["width"] / 2 for x in other["contexts"]), "pair: the right page's contexts are in the right half")
    back = {x["id"]: x["shared"] for x in other["contexts"] if x.get("shared")}
    c.expect(len(back) == 84 and back.get(shared[sid]) == sid, f"pair: the right page maps {len(back)} back")
    if screenshot:
        b.d.set_window_size(1280, 760)
        b.d.execute_script("window.dispatchEvent(new Event('resize'))")
        time.sleep(0.3)
        b.d.save_screenshot(screenshot)
        b.d.set_window_size(1400, 900)
    return loaded


def check_hostile(b, c, path):
    b.open(path)
    b.wait("document.documentElement.dataset.ready === '1'")
    check_clean(b, c, "hostile")
    title = b.d.title
    c.expect(title.startswith("Hostile <b>title</b> \" onerror=\"x"), f"hostile: title is {title!r}")
    shape = "return [document.scripts.length, document.querySelectorAll('*').length, [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length, document.querySelectorAll('img:not(#tiles img), iframe, object, embed, a[href^=javascript], style').length]"
    before = b.d.execute_script(shape)
    c.expect(before[0] == 2 and before[2] == 0 and before[3] == 1, f"hostile: page structure {before}")
    data = page_data(b)
    # Every hostile string is in the data, and shown literally in the list.
    listed = b.d.execute_script("return [...document.querySelectorAll('#list li .rid')].map(e => e.textContent)")
    for i, s in enumerate(HOSTILE):
        if has_lone_surrogate(s):
            continue
        want = f"h{i:02d}{s}"
        c.expect(want in listed, f"hostile: id {want!r} not shown literally")
    # Hover every context; the card shows its id literally and nothing runs.
    for ctx in data["contexts"]:
        x, y = inward(data, ctx)
        if owner(data, x, y) != data["contexts"].index(ctx):
            continue
        b.hover(*screen_point(b, data, x, y))
        card_id = b.d.execute_script("return document.querySelector('#card .id')?.textContent")
        c.expect(card_id == ctx["id"], f"hostile: card shows {card_id!r} for {ctx['id']!r}")
    box = b.d.find_element(By.ID, "search")
    for s in ["<script>", "onerror", "javascript:", "{{", "\u202e"]:
        box.clear(); box.send_keys(s)
    after = b.d.execute_script(shape)
    c.expect(b.d.title == title, f"hostile: title changed to {b.d.title!r}")
    c.expect(after[0] == before[0] and after[2] == 0 and after[3] == before[3], f"hostile: structure changed {before} → {after}")
    c.expect(not b.d.execute_script("return document.title.includes('PWNED') || window.PWNED === true"), "hostile: a script ran")
    check_clean(b, c, "hostile after interaction")


def check_csp_blocks_injected_script(b, c, path, work):
    """If escaping ever failed, the CSP still stops the script: inject one and see it blocked."""
    with open(path) as f:
        html = f.read()
    broken = os.path.join(os.path.dirname(path), "csp-probe.html")
    with open(broken, "w") as f:
        f.write(html.replace("<main>", "<main><script>document.title='PWNED'</script><img src=\"https://example.com/x.png\">", 1))
    b.open(broken)
    b.wait("document.readyState === 'complete'")
    logs, remote = b.problems()
    c.expect(b.d.title != "PWNED", "csp: an injected inline script ran")
    c.expect(any("Content Security Policy" in m["message"] for m in logs), f"csp: no violation reported {logs}")
    c.expect(not remote, f"csp: a network request was made {remote}")
    os.remove(broken)


def check_verify_report(b, c, atlas, work):
    outputs, goldens = os.path.join(work, "v-out"), os.path.join(work, "v-gold")
    os.makedirs(outputs); os.makedirs(goldens)
    names = ["y\" onerror=\"document.title='PWNED'\" b=\".png", "<img src=x onerror=document.title=1>.png",
             "javascript:document.title='PWNED'.png", "a b#c?d%20e.png", "旗\u202eevil.png"]
    for n in names:
        png(os.path.join(outputs, n), 8, 8, (200, 30, 30))
        png(os.path.join(goldens, n), 8, 8, (30, 30, 200))
    report = os.path.join(work, "report")
    run([atlas, "verify", outputs, "--goldens", goldens, "--report", report], ok=(1,))
    b.open(os.path.join(report, "index.html"))
    b.wait("document.readyState === 'complete'")
    check_clean(b, c, "verify report")
    c.expect(b.d.title == f"atlas verify: {len(names)} failure(s)", f"verify report: title {b.d.title!r}")
    c.expect(b.d.execute_script("return document.scripts.length") == 0, "verify report: has a script")
    shown = b.d.execute_script("return [...document.querySelectorAll('h2')].map(e => e.textContent)")
    c.expect(sorted(shown) == sorted(names), f"verify report: names shown {shown}")
    imgs = b.d.execute_script("return [...document.images].map(i => [i.naturalWidth, i.getAttribute('onerror')])")
    c.expect(len(imgs) == 3 * len(names) and all(w == 8 and e is None for w, e in imgs), f"verify report: images {imgs}")
    return len(names)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--atlas", required=True)
    ap.add_argument("--out", default=None, help="keep the fixtures and screenshots here")
    ap.add_argument("--big", action="store_true", help="also time an 8192 px print's page (tile pyramid)")
    args = ap.parse_args()
    atlas = os.path.abspath(args.atlas)
    work = os.path.abspath(args.out) if args.out else tempfile.mkdtemp(prefix="atlas-browser-")
    os.makedirs(work, exist_ok=True)
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ex = lambda n: os.path.join(repo, "Examples", n)
    pages = os.path.join(work, "pages")
    run([atlas, "render", ex("clockwork.jsonl"), "--style", "preview", "--format", "png,html", "-o", pages, "-q"])
    run([atlas, "render", ex("sea-light.jsonl"), "--style", "preview", "--format", "png,pdf,html", "-o", pages, "-q"])
    # A small print browsed through tiles (the pyramid code path at test speed).
    run([atlas, "render", ex("civic.jsonl"), "--style", "preview", "--set", "browser.tiles_above=512", "--set", "browser.tile_size=256",
         "--format", "html", "-o", pages, "-q"])
    hostile = os.path.join(work, "hostile.jsonl")
    write_hostile_fixture(hostile)
    run([atlas, "render", hostile, "--style", "preview", "--set", "canvas.width=512", "--set", "canvas.height=512",
         "--format", "html", "-o", pages, "-q"])
    steered = os.path.join(work, "clockwork-steered.jsonl")
    write_pair_fixture(repo, steered)
    pairs = os.path.join(work, "pair")
    run([atlas, "render", ex("clockwork.jsonl"), steered, "--composition", "pair", "--style", "preview", "--set", "canvas.width=640",
         "--set", "canvas.height=640", "--format", "png,html", "-o", pairs, "-q"])
    run([atlas, "index", pages])

    b = Browser()
    c = Checks()
    try:
        t250, nav250, n250 = check_atlas_page(b, c, os.path.join(pages, "clockwork.html"), "clockwork",
                                              screenshot=os.path.join(work, "clockwork-page.png"))
        check_atlas_page(b, c, os.path.join(pages, "sea-light.html"), "sea-light")
        check_atlas_page(b, c, os.path.join(pages, "civic.html"), "civic (tiles)")
        c.expect(b.d.execute_script("return document.querySelectorAll('#tiles img').length") > 1, "civic: tiles in use")
        tpair = check_pair(b, c, os.path.join(pairs, "clockwork+clockwork-steered.left.html"),
                           screenshot=os.path.join(work, "pair-page.png"))
        check_hostile(b, c, os.path.join(pages, "hostile.html"))
        check_csp_blocks_injected_script(b, c, os.path.join(pages, "hostile.html"), work)
        reports = check_verify_report(b, c, atlas, work)
        check_lone_surrogates_rejected(c, atlas, work)
        b.open(os.path.join(pages, "index.html"))
        b.wait("document.documentElement.dataset.ready === '1' && [...document.images].every(i => i.complete)")
        check_clean(b, c, "index")
        c.expect(b.d.execute_script("return [...document.images].every(i => i.naturalWidth > 0)"), "index: a thumbnail did not load")
        box = b.d.find_element(By.ID, "search")
        box.send_keys("clockwork")
        visible = b.d.execute_script("return [...document.querySelectorAll('#posters li')].filter(e => !e.hidden).map(e => e.dataset.latent)")
        c.expect(visible == ["clockwork"], f"index: search shows {visible}")
        b.d.find_element(By.CSS_SELECTOR, "#posters li:not([hidden]) a").click()
        b.wait("document.documentElement.dataset.ready === '1'")
        c.expect(b.d.current_url.endswith("/clockwork.html"), f"index: link goes to {b.d.current_url}")
        b.open(os.path.join(pages, "index.html"))
        b.wait("document.documentElement.dataset.ready === '1'")
        b.d.save_screenshot(os.path.join(work, "index-page.png"))
        check_clean(b, c, "index after interaction")
        if args.big:
            big = os.path.join(work, "big")
            t0 = time.perf_counter()
            run([atlas, "render", ex("sea-light.jsonl"), "--style", "preview", "--set", "canvas.width=8192", "--set", "canvas.height=8192", "--memory", "8G",
                 "--format", "html", "-o", big, "-q"])
            print(f"8192 px render with tiles: {time.perf_counter() - t0:.1f} s")
            start = b.open(os.path.join(big, "sea-light.html"))
            b.wait("document.documentElement.dataset.ready === '1' && [...document.images].every(i => i.complete)", timeout=120)
            tb = time.perf_counter() - start
            check_clean(b, c, "8192 px")
            tiles = b.d.execute_script("return document.querySelectorAll('#tiles img').length")
            view = b.d.find_element(By.ID, "view")
            b.d.execute_script("arguments[0].focus()", view)
            t1 = time.perf_counter()
            for _ in range(12):
                view.send_keys("+")
            b.wait("[...document.images].every(i => i.complete)", timeout=60)
            tz = time.perf_counter() - t1
            deep = b.d.execute_script("return [...document.querySelectorAll('#tiles img')].map(i => i.getAttribute('src').split('/').slice(-2)[0])")
            c.expect("0" in deep, f"8192 px: zoomed in, full-resolution tiles shown ({sorted(set(deep))})")
            b.d.save_screenshot(os.path.join(work, "big-zoomed.png"))
            print(f"8192 px page (tile pyramid): ready with all visible tiles in {tb * 1000:.0f} ms ({tiles} tiles), 12 zoom steps + tiles {tz * 1000:.0f} ms")
    finally:
        b.d.quit()
    print(f"{n250}-context page: ready with its image in {t250 * 1000:.0f} ms (DOMContentLoaded {nav250[0]:.0f} ms, load {nav250[1]:.0f} ms)")
    print(f"pair page (2 × 640 px sheet, 250 + 124 contexts): ready with its image in {tpair * 1000:.0f} ms")
    print(f"hostile strings tried: {len(HOSTILE)} in contexts and latent fields, {reports} verify-report file names")
    if args.out or c.failures:
        print(f"{c.passed} checks passed, {len(c.failures)} failed; pages and screenshots in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
        print(f"{c.passed} checks passed (use --out DIR to keep the pages and screenshots)")
    sys.exit(1 if c.failures else 0)


if __name__ == "__main__":
    main()
