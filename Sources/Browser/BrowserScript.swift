/// The data browser's own stylesheet and script. The script reads the page's inline JSON and builds
/// everything with `textContent` and `createElement` (never `innerHTML`), so no string from input
/// is ever parsed as markup; its SHA-256 is the only script the page's CSP allows.
enum BrowserScript {
    static let stylesheet = """
    *{box-sizing:border-box}
    html,body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 var(--font)}
    header{padding:12px 20px 4px}h1{font-size:20px;margin:0;font-weight:600;unicode-bidi:isolate}
    h2{font-size:13px;text-transform:uppercase;letter-spacing:.06em;margin:0 0 6px}
    .sub{margin:0;opacity:.7;font-size:12px;unicode-bidi:isolate}
    main{display:flex;gap:16px;padding:8px 20px;height:calc(100vh - 72px);min-height:420px}
    #view{position:relative;flex:1 1 auto;overflow:hidden;border:1px solid color-mix(in srgb,var(--ink) 20%,transparent);border-radius:6px;cursor:grab;touch-action:none;background:var(--bg)}
    #view.dragging{cursor:grabbing}
    #stage{position:absolute;left:0;top:0;transform-origin:0 0}
    #tiles img{position:absolute;display:block;user-select:none;-webkit-user-drag:none;image-rendering:auto}
    #marks{position:absolute;left:0;top:0;overflow:visible;pointer-events:none;z-index:1000}
    #marks circle,#marks polygon{fill:none;vector-effect:non-scaling-stroke;stroke-linejoin:round}
    #marks .match{stroke:var(--hl);stroke-width:2.5}
    #marks .shared{stroke:var(--ink);stroke-width:1.5;stroke-dasharray:4 3}
    #marks .focus{stroke:var(--ink);stroke-width:3}
    #marks .pin{stroke:var(--hl);stroke-width:4}
    #marks rect{fill:none;stroke:var(--hl);stroke-width:2;vector-effect:non-scaling-stroke}
    #zoom{position:absolute;right:8px;top:8px;display:flex;gap:4px}
    button{font:inherit;color:var(--ink);background:var(--bg);border:1px solid color-mix(in srgb,var(--ink) 35%,transparent);border-radius:4px;padding:2px 9px;cursor:pointer}
    button[aria-pressed=true]{background:var(--ink);color:var(--bg)}
    :focus-visible{outline:3px solid var(--hl);outline-offset:2px}
    #card{position:absolute;max-width:360px;background:var(--bg);border:1px solid var(--ink);border-radius:6px;padding:8px 10px;box-shadow:0 4px 18px rgba(0,0,0,.25);pointer-events:none;font-size:13px}
    #card.pinned{border-width:2px;border-color:var(--hl)}
    #card .id{font-weight:600;unicode-bidi:isolate}#card .meta{opacity:.75;font-size:12px}
    #card .text,#list .text{unicode-bidi:plaintext;overflow-wrap:anywhere}
    mark{background:none;color:var(--hl);font-weight:600}
    #card .words{font-size:12px;margin-top:4px}
    aside{flex:0 0 340px;display:flex;flex-direction:column;min-height:0}
    aside label{font-size:12px;opacity:.75}
    #search{font:inherit;color:var(--ink);background:var(--bg);border:1px solid color-mix(in srgb,var(--ink) 35%,transparent);border-radius:4px;padding:5px 8px;width:100%}
    #count{margin:4px 0;font-size:12px;opacity:.75}
    #sort{display:flex;gap:4px;margin-bottom:6px}
    #list{list-style:none;margin:0;padding:0;overflow:auto;flex:1 1 auto;border-top:1px solid color-mix(in srgb,var(--ink) 20%,transparent)}
    #list li{padding:5px 4px;border-bottom:1px solid color-mix(in srgb,var(--ink) 10%,transparent);cursor:pointer}
    #list li.active{background:color-mix(in srgb,var(--hl) 14%,transparent)}
    #list .row{display:flex;gap:8px;font-size:12px;opacity:.8}#list .row .rid{font-weight:600;unicode-bidi:isolate}
    #list .text{font-size:12.5px;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
    .swatch{display:inline-block;width:9px;height:9px;border-radius:2px;margin-right:3px;vertical-align:baseline}
    footer{display:flex;flex-wrap:wrap;gap:28px;padding:14px 20px 28px}
    footer section{flex:1 1 240px}
    #legend{list-style:none;margin:0;padding:0;font-size:12.5px}#legend li{unicode-bidi:isolate}
    #histogram{width:100%;max-width:320px}#histogram rect{fill:var(--ink);opacity:.75}#histogram text{font-size:10px;fill:var(--ink)}
    #histogram .threshold{stroke:var(--hl);stroke-width:2}
    dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:0;font-size:12.5px}dt{opacity:.7}dd{margin:0;unicode-bidi:isolate;overflow-wrap:anywhere}
    .links a{color:var(--ink);margin-right:10px}.pair a{color:var(--ink)}
    @media (max-width:800px){main{flex-direction:column;height:auto}#view{height:70vh}aside{flex-basis:auto;max-height:60vh}}
    """

    static let source = #"""
    "use strict";
    (function () {
      const data = JSON.parse(document.getElementById("atlas-data").textContent);
      const $ = (id) => document.getElementById(id);
      const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
      const SVG = "http://www.w3.org/2000/svg";
      const view = $("view"), stage = $("stage"), tiles = $("tiles"), marks = $("marks"), card = $("card");
      const list = $("list"), search = $("search"), count = $("count");
      const W = data.width, H = data.height, ctx = data.contexts;
      const clusters = new Map(data.clusters.map((c) => [c.id, c]));
      const byRank = ctx.map((_, i) => i).sort((a, b) => ctx[a].rank - ctx[b].rank);
      const plain = ctx.map((c) => c.runs.map((r) => r[0]).join("").toLowerCase());
      stage.style.width = W + "px"; stage.style.height = H + "px";
      marks.setAttribute("width", W); marks.setAttribute("height", H); marks.setAttribute("viewBox", "0 0 " + W + " " + H);

      // --- View: pan and zoom, the picture as one image or a tile pyramid ---
      let scale = 1, tx = 0, ty = 0;
      const minScale = () => Math.min(view.clientWidth / W, view.clientHeight / H) * 0.5;
      function apply() {
        stage.style.transform = "translate(" + tx + "px," + ty + "px) scale(" + scale + ")";
        drawTiles();
      }
      function fit() {
        scale = Math.min(view.clientWidth / W, view.clientHeight / H);
        tx = (view.clientWidth - W * scale) / 2; ty = (view.clientHeight - H * scale) / 2; apply();
      }
      function zoomAt(factor, cx, cy) {
        const s = Math.max(minScale(), Math.min(data.max_zoom, scale * factor));
        tx = cx - (cx - tx) * (s / scale); ty = cy - (cy - ty) * (s / scale); scale = s; apply();
      }
      const shown = new Map();
      function tileImage(key, src, x, y, w, h, z) {
        let img = shown.get(key);
        if (!img) {
          img = new Image(); img.alt = ""; img.decoding = "async"; img.draggable = false;
          img.style.left = x + "px"; img.style.top = y + "px"; img.style.width = w + "px"; img.style.height = h + "px";
          img.style.zIndex = String(100 - z);
          img.src = src; tiles.appendChild(img); shown.set(key, img);
        }
        img.dataset.live = "1";
      }
      function drawTiles() {
        const p = data.picture;
        if (p.kind === "image") { tileImage("image", p.src, 0, 0, W, H, 0); return; }
        for (const img of shown.values()) img.dataset.live = "";
        const top = p.levels.length - 1;
        const want = Math.max(0, Math.min(top, Math.floor(Math.log2(1 / (scale * (window.devicePixelRatio || 1))))));
        for (const z of (want === top ? [top] : [top, want])) {
          const f = Math.pow(2, z), L = p.levels[z], t = p.tile_size * f;
          const x0 = Math.max(0, Math.floor(-tx / scale / t)), y0 = Math.max(0, Math.floor(-ty / scale / t));
          const x1 = Math.min(L.columns - 1, Math.floor((view.clientWidth - tx) / scale / t));
          const y1 = Math.min(L.rows - 1, Math.floor((view.clientHeight - ty) / scale / t));
          for (let r = y0; r <= y1; r++) for (let c = x0; c <= x1; c++) {
            const w = Math.min(t, W - c * t), h = Math.min(t, H - r * t);
            tileImage(z + "/" + c + "-" + r, p.base + "/" + z + "/" + c + "-" + r + ".png", c * t, r * t, w, h, z);
          }
        }
        for (const [key, img] of shown) if (!img.dataset.live) { img.remove(); shown.delete(key); }
      }

      // --- Hit-testing: the region is the power cell, argmin |p - c|^2 - r^2, inside the atlas disc ---
      function contextAt(x, y) {
        const a = data.atlas, dx = x - a.center[0], dy = y - a.center[1];
        if (dx * dx + dy * dy > a.radius * a.radius) return -1;
        let best = -1, bestPower = Infinity;
        for (let i = 0; i < ctx.length; i++) {
          const c = ctx[i], ex = x - c.x, ey = y - c.y, power = ex * ex + ey * ey - c.r * c.r;
          if (power < bestPower) { bestPower = power; best = i; }
        }
        return best;
      }
      function toImage(ev) {
        const b = view.getBoundingClientRect();
        return [(ev.clientX - b.left - tx) / scale, (ev.clientY - b.top - ty) / scale, ev.clientX - b.left, ev.clientY - b.top];
      }

      // --- The card ---
      let focused = -1, pinned = -1;
      function fillCard(i) {
        const c = ctx[i];
        card.replaceChildren();
        card.appendChild(el("div", "id", c.id));
        const cl = clusters.get(c.cluster);
        const meta = el("div", "meta", "rank " + c.rank + " of " + ctx.length + " · score " + fmt(c.score));
        if (cl) { meta.appendChild(document.createTextNode(" · cluster " + cl.id + (cl.label ? ": " : ""))); meta.appendChild(el("bdi", "", cl.label)); }
        if (c.shared) meta.appendChild(document.createTextNode(" · in both latents"));
        card.appendChild(meta);
        card.appendChild(textOf(c, "div"));
        if (c.words.length) {
          const w = el("div", "words", "activations: ");
          c.words.forEach((p, k) => { if (k) w.appendChild(document.createTextNode(", ")); w.appendChild(el("mark", "", p[0])); w.appendChild(document.createTextNode(" " + fmt(p[1]))); });
          card.appendChild(w);
        }
        card.classList.toggle("pinned", pinned === i);
        card.hidden = false;
      }
      function textOf(c, tag) {
        const t = el(tag, "text");
        for (const r of c.runs) t.appendChild(r[1] === null ? document.createTextNode(r[0]) : el("mark", "", r[0]));
        return t;
      }
      function placeCard(sx, sy) {
        const vw = view.clientWidth, vh = view.clientHeight, cw = card.offsetWidth, ch = card.offsetHeight;
        let x = sx + 16, y = sy + 16;
        if (x + cw > vw - 4) x = Math.max(4, sx - cw - 16);
        if (y + ch > vh - 4) y = Math.max(4, vh - ch - 4);
        card.style.left = x + "px"; card.style.top = y + "px";
      }
      function placeCardAtContext(i) {
        // Beside the region, on whichever side has room; else in the view's top-left corner.
        const c = ctx[i], cw = card.offsetWidth, ch = card.offsetHeight;
        const left = tx + (c.x - c.r) * scale, right = tx + (c.x + c.r) * scale, cy = ty + c.y * scale;
        const y = Math.max(4, Math.min(view.clientHeight - ch - 4, cy - ch / 2));
        if (right + 12 + cw < view.clientWidth - 4) { card.style.left = (right + 12) + "px"; card.style.top = y + "px"; }
        else if (left - 12 - cw > 4) { card.style.left = (left - 12 - cw) + "px"; card.style.top = y + "px"; }
        else { card.style.left = "8px"; card.style.top = "8px"; }
      }
      function setFocus(i, sx, sy) {
        focused = i;
        for (const li of list.children) li.classList.toggle("active", Number(li.dataset.i) === i);
        ring("focus", i >= 0 ? [i] : []);
        wordBoxes(i);
        const show = pinned >= 0 ? pinned : i;
        if (show < 0) { card.hidden = true; return; }
        fillCard(show);
        if (pinned >= 0 || sx === undefined) placeCardAtContext(show); else placeCard(sx, sy);
      }
      // A pair's page links to its partner; with a shared context pinned, to that context there.
      const partnerLink = $("partner");
      function pin(i) {
        pinned = pinned === i ? -1 : i;
        ring("pin", pinned >= 0 ? [pinned] : []);
        if (partnerLink && data.partner) {
          const there = pinned >= 0 ? ctx[pinned].shared : null;
          partnerLink.setAttribute("href", data.partner + (there ? "#" + encodeURIComponent(there) : ""));
        }
        setFocus(i);
      }
      function centreOn(i) {
        const c = ctx[i];
        if (scale < 2 * Math.min(view.clientWidth / W, view.clientHeight / H)) scale = Math.min(data.max_zoom, Math.max(scale, Math.min(view.clientWidth, view.clientHeight) / (c.r * 8)));
        tx = view.clientWidth / 2 - c.x * scale; ty = view.clientHeight / 2 - c.y * scale; apply();
      }

      // --- The region's outline: its power cell clipped to the atlas disc (Sutherland–Hodgman: a
      // polygon of the disc cut by the half-plane 2p·(o − c) ≤ |o|² − |c|² − r_o² + r_c² of every other context o) ---
      function cell(i) {
        const a = data.atlas, c = ctx[i], N = 128;
        let poly = [];
        for (let k = 0; k < N; k++) { const t = 2 * Math.PI * k / N; poly.push([a.center[0] + a.radius * Math.cos(t), a.center[1] + a.radius * Math.sin(t)]); }
        for (let j = 0; j < ctx.length && poly.length > 2; j++) {
          const o = ctx[j]; if (j === i) continue;
          const nx = 2 * (o.x - c.x), ny = 2 * (o.y - c.y), k0 = o.x * o.x + o.y * o.y - c.x * c.x - c.y * c.y - o.r * o.r + c.r * c.r;
          const f = (p) => k0 - nx * p[0] - ny * p[1], out = [];
          for (let m = 0; m < poly.length; m++) {
            const p = poly[m], q = poly[(m + 1) % poly.length], fp = f(p), fq = f(q);
            if (fp >= 0) out.push(p);
            if ((fp >= 0) !== (fq >= 0)) { const t = fp / (fp - fq); out.push([p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t]); }
          }
          poly = out;
        }
        return poly;
      }

      // --- Marks on the picture: matches and shared contexts ringed, the focused and pinned region outlined ---
      const groups = {};
      for (const name of ["shared", "match", "focus", "pin"]) { const g = document.createElementNS(SVG, "g"); g.setAttribute("class", name); marks.appendChild(g); groups[name] = g; }
      function ring(name, indices) {
        const g = groups[name]; g.replaceChildren();
        for (const i of indices) {
          const c = ctx[i], outline = name === "focus" || name === "pin" ? cell(i) : null;
          let e;
          if (outline && outline.length > 2) {
            e = document.createElementNS(SVG, "polygon");
            e.setAttribute("points", outline.map((p) => p[0].toFixed(1) + "," + p[1].toFixed(1)).join(" "));
          } else {
            e = document.createElementNS(SVG, "circle");
            e.setAttribute("cx", c.x); e.setAttribute("cy", c.y); e.setAttribute("r", Math.max(c.r, 3));
          }
          e.setAttribute("class", name); e.setAttribute("data-id", c.id); g.appendChild(e);
        }
      }
      const boxes = document.createElementNS(SVG, "g"); boxes.setAttribute("class", "words"); marks.appendChild(boxes);
      function wordBoxes(i) {
        boxes.replaceChildren();
        for (const b of i >= 0 ? ctx[i].boxes : []) {
          const e = document.createElementNS(SVG, "rect");
          e.setAttribute("x", b[0]); e.setAttribute("y", b[1]); e.setAttribute("width", b[2]); e.setAttribute("height", b[3]);
          boxes.appendChild(e);
        }
      }
      ring("shared", ctx.map((c, i) => c.shared ? i : -1).filter((i) => i >= 0));

      // --- The list, sort and search ---
      let sortKey = "rank", matches = byRank.slice();
      const rows = ctx.map((c, i) => {
        const li = el("li"); li.tabIndex = 0; li.dataset.i = String(i); li.setAttribute("data-id", c.id);
        const row = el("div", "row");
        row.appendChild(el("span", "", "#" + c.rank));
        row.appendChild(el("bdi", "rid", c.id));
        row.appendChild(el("span", "", fmt(c.score)));
        const cl = clusters.get(c.cluster);
        if (cl) { const s = el("span", "", ""); const sw = el("span", "swatch"); sw.style.background = cl.color; s.appendChild(sw); s.appendChild(document.createTextNode(String(cl.id))); row.appendChild(s); }
        li.appendChild(row); li.appendChild(textOf(c, "div"));
        return li;
      });
      function order() {
        const key = { rank: (i) => [ctx[i].rank], cluster: (i) => [ctx[i].cluster ?? 1e9, ctx[i].rank], id: (i) => [ctx[i].id] }[sortKey];
        return matches.slice().sort((a, b) => { const x = key(a), y = key(b); for (let k = 0; k < x.length; k++) { if (x[k] < y[k]) return -1; if (x[k] > y[k]) return 1; } return 0; });
      }
      function renderList() {
        list.replaceChildren(...order().map((i) => rows[i]));
        const q = search.value.trim();
        count.textContent = q ? matches.length + " of " + ctx.length + " contexts match" : ctx.length + " contexts";
      }
      function runSearch() {
        const q = search.value.trim().toLowerCase();
        matches = q ? byRank.filter((i) => plain[i].includes(q) || ctx[i].id.toLowerCase().includes(q)) : byRank.slice();
        ring("match", q ? matches : []);
        renderList();
      }
      search.addEventListener("input", runSearch);
      search.addEventListener("keydown", (ev) => { if (ev.key === "Enter" && matches.length) { pin(matches[0]); centreOn(matches[0]); setFocus(matches[0]); } });
      for (const b of $("sort").querySelectorAll("button")) b.addEventListener("click", () => {
        sortKey = b.dataset.key;
        for (const o of $("sort").querySelectorAll("button")) o.setAttribute("aria-pressed", String(o === b));
        renderList();
      });
      list.addEventListener("mouseover", (ev) => { const li = ev.target.closest("li"); if (li) setFocus(Number(li.dataset.i)); });
      list.addEventListener("focusin", (ev) => { const li = ev.target.closest("li"); if (li) { setFocus(Number(li.dataset.i)); } });
      list.addEventListener("click", (ev) => { const li = ev.target.closest("li"); if (li) { const i = Number(li.dataset.i); pin(i); centreOn(i); setFocus(i); } });
      list.addEventListener("keydown", (ev) => {
        const li = ev.target.closest("li"); if (!li) return;
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); const i = Number(li.dataset.i); pin(i); centreOn(i); setFocus(i); }
        if (ev.key === "ArrowDown" && li.nextElementSibling) { ev.preventDefault(); li.nextElementSibling.focus(); }
        if (ev.key === "ArrowUp" && li.previousElementSibling) { ev.preventDefault(); li.previousElementSibling.focus(); }
      });

      // --- Pointer: drag pans, wheel zooms, hover shows the card, click or tap pins ---
      let drag = null;
      view.addEventListener("pointerdown", (ev) => { if (ev.target.closest("button")) return; drag = { x: ev.clientX, y: ev.clientY, tx, ty, moved: false }; view.setPointerCapture(ev.pointerId); });
      view.addEventListener("pointermove", (ev) => {
        if (drag) {
          const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
          if (Math.abs(dx) + Math.abs(dy) > 4) { drag.moved = true; view.classList.add("dragging"); }
          if (drag.moved) { tx = drag.tx + dx; ty = drag.ty + dy; apply(); return; }
        }
        if (ev.target.closest("button")) return;
        const p = toImage(ev), i = contextAt(p[0], p[1]);
        if (i !== focused || pinned < 0) setFocus(i, p[2], p[3]);
      });
      view.addEventListener("pointerup", (ev) => {
        const d = drag; drag = null; view.classList.remove("dragging");
        if (!d || d.moved || ev.target.closest("button")) return;
        const p = toImage(ev), i = contextAt(p[0], p[1]);
        if (i >= 0) pin(i); else if (pinned >= 0) pin(pinned);
      });
      view.addEventListener("pointerleave", () => { if (pinned < 0) setFocus(-1); });
      view.addEventListener("wheel", (ev) => { ev.preventDefault(); const b = view.getBoundingClientRect(); zoomAt(Math.exp(-ev.deltaY * 0.0015), ev.clientX - b.left, ev.clientY - b.top); }, { passive: false });
      $("zoom-in").addEventListener("click", () => zoomAt(1.5, view.clientWidth / 2, view.clientHeight / 2));
      $("zoom-out").addEventListener("click", () => zoomAt(1 / 1.5, view.clientWidth / 2, view.clientHeight / 2));
      $("zoom-fit").addEventListener("click", fit);
      view.addEventListener("keydown", (ev) => {
        const step = 60, k = ev.key;
        if (k === "+" || k === "=") zoomAt(1.25, view.clientWidth / 2, view.clientHeight / 2);
        else if (k === "-") zoomAt(0.8, view.clientWidth / 2, view.clientHeight / 2);
        else if (k === "0") fit();
        else if (k === "ArrowLeft") { tx += step; apply(); } else if (k === "ArrowRight") { tx -= step; apply(); }
        else if (k === "ArrowUp") { ty += step; apply(); } else if (k === "ArrowDown") { ty -= step; apply(); }
        else if (k === "n" || k === "p") {
          const seq = order(); if (!seq.length) return;
          const at = seq.indexOf(focused), next = seq[(at < 0 ? 0 : at + (k === "n" ? 1 : seq.length - 1)) % seq.length];
          if (pinned >= 0) pinned = -1, ring("pin", []);
          centreOn(next); setFocus(next);
        } else if (k === "Enter" && focused >= 0) pin(focused);
        else if (k === "Escape") { if (pinned >= 0) pin(pinned); setFocus(-1); }
        else return;
        ev.preventDefault();
      });
      document.addEventListener("keydown", (ev) => { if (ev.key === "/" && document.activeElement !== search) { ev.preventDefault(); search.focus(); } });
      window.addEventListener("resize", fit);

      function fmt(x) { return Math.abs(x) >= 100 ? x.toFixed(1) : Math.abs(x) >= 1 ? x.toFixed(3) : x.toPrecision(3); }
      renderList(); fit();
      // A context named in the address (`page.html#<id>`, as a partner page links) is pinned and centred.
      if (location.hash.length > 1) {
        let want = null;
        try { want = decodeURIComponent(location.hash.slice(1)); } catch (e) { want = null; }
        const i = want === null ? -1 : ctx.findIndex((c) => c.id === want);
        if (i >= 0) { pin(i); centreOn(i); setFocus(i); }
      }
      document.documentElement.dataset.ready = "1";
    })();
    """#
}
