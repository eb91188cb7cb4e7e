import AtlasCore
import Encode
import Foundation

/// The data browser of one atlas: `<latent>.html`, a static page that works from `file://` with no
/// network. The image (or its tile pyramid) sits beside it; everything else — the contexts, their
/// geometry, text, highlighted words, scores, clusters — is inline JSON read by the page's own
/// script, which builds the DOM with text nodes only. Every string from input is escaped for where
/// it lands (`Escaping`), and the Content-Security-Policy allows no other script and no network.
public struct BrowserPage: Sendable {
    /// Colours and font, from the style, so the page belongs to the print.
    public struct Look: Sendable, Equatable {
        public var background: String
        public var ink: String
        public var highlight: String
        public var fontFamily: String

        public init(background: String, ink: String, highlight: String, fontFamily: String) {
            self.background = background; self.ink = ink; self.highlight = highlight; self.fontFamily = fontFamily
        }
    }

    /// What the page shows as the picture.
    public enum Picture: Sendable, Equatable {
        /// One image file beside the page.
        case image(file: String)
        /// A tile pyramid in a folder beside the page.
        case tiles(folder: String, tileSize: Int, levels: [TilePyramid.LevelInfo])
    }

    /// A score histogram; `source` says where it comes from (`atlas select`, or the contexts' scores).
    public struct Histogram: Codable, Sendable, Equatable {
        public var source: String
        public var low: Double
        public var high: Double
        public var counts: [Int]
        /// A threshold to mark (from `atlas select`), if any.
        public var threshold: Double?

        public init(source: String, low: Double, high: Double, counts: [Int], threshold: Double? = nil) {
            self.source = source; self.low = low; self.high = high; self.counts = counts; self.threshold = threshold
        }

        /// `bins` equal bins over the scores' range.
        public static func of(scores: [Double], bins: Int = 24, source: String = "context scores") -> Histogram {
            let lo = scores.min() ?? 0, hi = scores.max() ?? 1
            var counts = [Int](repeating: 0, count: bins)
            for s in scores {
                let t = hi > lo ? (s - lo) / (hi - lo) : 0.5
                counts[min(bins - 1, max(0, Int(t * Double(bins))))] += 1
            }
            return Histogram(source: source, low: lo, high: hi, counts: counts)
        }
    }

    /// The other half of a pair (`--composition pair`): its page, and each context of this latent
    /// that is present in both, mapped to its id on the other page (the page rings them and links
    /// each to its counterpart there).
    public struct Partner: Sendable, Equatable {
        public var page: String
        public var latent: String
        public var counterparts: [String: String]

        public init(page: String, latent: String, counterparts: [String: String]) {
            self.page = page; self.latent = latent; self.counterparts = counterparts
        }

        public var sharedIDs: Set<String> { Set(counterparts.keys) }
    }

    public var manifest: Manifest
    public var look: Look
    public var picture: Picture
    /// Other renders of the latent to link to (file names beside the page).
    public var downloads: [String]
    public var histogram: Histogram?
    public var partner: Partner?
    public var maxZoom: Double

    public init(manifest: Manifest, look: Look, picture: Picture, downloads: [String], histogram: Histogram? = nil,
                partner: Partner? = nil, maxZoom: Double = 8) {
        self.manifest = manifest
        self.look = look
        self.picture = picture
        self.downloads = downloads
        self.histogram = histogram
        self.partner = partner
        self.maxZoom = maxZoom
    }

    // MARK: - The data the script reads

    struct PageData: Encodable {
        struct ContextData: Encodable {
            var id: String
            var score: Double
            var rank: Int
            var cluster: Int?
            var x: Double
            var y: Double
            var r: Double
            /// The text in runs: `[text, weight]`, weight null outside highlighted runs.
            var runs: [Run]
            var words: [[Run.Value]]
            /// Where the highlighted words are painted: `[x, y, w, h]` in output pixels.
            var boxes: [[Double]]
            /// In a pair, the context's id on the partner page when it is present in both.
            var shared: String?
        }
        struct Run: Encodable {
            enum Value: Encodable {
                case text(String), number(Double), none
                func encode(to encoder: Encoder) throws {
                    var c = encoder.singleValueContainer()
                    switch self {
                    case .text(let s): try c.encode(s)
                    case .number(let d): try c.encode(d)
                    case .none: try c.encodeNil()
                    }
                }
            }
            var text: String
            var weight: Double?
            func encode(to encoder: Encoder) throws {
                var c = encoder.unkeyedContainer()
                try c.encode(text)
                if let weight { try c.encode(weight) } else { try c.encodeNil() }
            }
        }
        struct PictureData: Encodable {
            var kind: String
            var src: String?
            var base: String?
            var tileSize: Int?
            var levels: [TilePyramid.LevelInfo]?
        }
        var name: String
        var width: Int
        var height: Int
        var atlas: Manifest.Disc
        var picture: PictureData
        var maxZoom: Double
        var highlight: String
        var contexts: [ContextData]
        var clusters: [Manifest.ClusterEntry]
        var partner: String?
    }

    /// The marked text in runs: outside `{{…}}` a run has no weight; inside, the weight of its
    /// strongest highlighted word (or 1 when the words are not listed).
    static func runs(_ marked: String, words: [Manifest.HighlightedWord]) -> [PageData.Run] {
        var runs: [PageData.Run] = []
        var rest = Substring(marked)
        let weights = Dictionary(words.map { ($0.word, $0.weight) }, uniquingKeysWith: max)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            if open.lowerBound > rest.startIndex { runs.append(.init(text: String(rest[..<open.lowerBound]), weight: nil)) }
            let inside = String(rest[open.upperBound..<close.lowerBound])
            let w = inside.split(separator: " ").compactMap { weights[String($0)] }.max() ?? 1
            runs.append(.init(text: inside, weight: w))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { runs.append(.init(text: String(rest), weight: nil)) }
        return runs
    }

    func pageData() -> PageData {
        let contexts = manifest.contexts
        let order = contexts.indices.sorted { contexts[$0].score > contexts[$1].score || (contexts[$0].score == contexts[$1].score && $0 < $1) }
        var rank = [Int](repeating: 0, count: contexts.count)
        for (r, i) in order.enumerated() { rank[i] = r + 1 }
        let atlas = manifest.atlas ?? Manifest.Disc(center: [Double(manifest.canvas.width) / 2, Double(manifest.canvas.height) / 2],
                                                   radius: Double(min(manifest.canvas.width, manifest.canvas.height)) / 2)
        let data = contexts.indices.map { i -> PageData.ContextData in
            let c = contexts[i]
            // Older manifests have only unit-disc positions: map them onto the atlas disc.
            let centre = c.centerPx ?? [atlas.center[0] + c.position[0] * atlas.radius, atlas.center[1] - c.position[1] * atlas.radius]
            let words = c.highlighted ?? []
            return PageData.ContextData(
                id: c.id, score: c.score, rank: rank[i], cluster: c.cluster, x: centre[0], y: centre[1],
                r: c.radiusPx ?? c.radius * atlas.radius, runs: Self.runs(c.markedText, words: words),
                words: words.map { [.text($0.word), .number($0.weight)] }, boxes: words.flatMap(\.boxes),
                shared: partner?.counterparts[c.id])
        }
        let picture: PageData.PictureData
        switch self.picture {
        case .image(let file):
            picture = .init(kind: "image", src: Escaping.urlPathComponent(file))
        case .tiles(let folder, let tileSize, let levels):
            picture = .init(kind: "tiles", base: Escaping.urlPathComponent(folder), tileSize: tileSize, levels: levels)
        }
        return PageData(name: manifest.latent.name, width: manifest.canvas.width, height: manifest.canvas.height, atlas: atlas,
                        picture: picture, maxZoom: maxZoom, highlight: look.highlight, contexts: data,
                        clusters: manifest.clusters ?? [], partner: partner.map { Escaping.urlPathComponent($0.page) })
    }

    // MARK: - The page

    public func html() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        let json = String(decoding: try e.encode(pageData()), as: UTF8.self)
        let latent = manifest.latent
        let title = latent.title ?? latent.description ?? latent.name
        return HTMLDocument(title: "\(title) — \(latent.name)", stylesheet: stylesheet, script: BrowserScript.source,
                            data: [("atlas-data", json)], body: body(title: title)).html()
    }

    var stylesheet: String {
        """
        :root{--bg:\(look.background);--ink:\(look.ink);--hl:\(look.highlight);--font:\(Escaping.cssString(look.fontFamily)),system-ui,sans-serif}
        \(BrowserScript.stylesheet)
        """
    }

    func body(title: String) -> String {
        let t = Escaping.htmlText
        let latent = manifest.latent
        var meta: [(String, String)] = [("latent", latent.name)]
        if let m = latent.model { meta.append(("model", m)) }
        if let l = latent.layer { meta.append(("layer", l)) }
        if let i = latent.index { meta.append(("index", i)) }
        if let d = latent.description { meta.append(("explanation", d)) }
        meta.append(("source", manifest.input.path))
        meta.append(("contexts", String(manifest.contexts.count)))
        meta.append(("canvas", "\(manifest.canvas.width) × \(manifest.canvas.height) px, \(Self.number(manifest.canvas.dpi)) dpi"))
        meta.append(("style", manifest.style.name))
        meta.append(("seed", String(manifest.seed)))
        var s = """
        <header><h1>\(t(title))</h1><p class="sub">\(t([latent.model, latent.layer.map { "layer \($0)" }, latent.index.map { "latent \($0)" }].compactMap { $0 }.joined(separator: " · ")))</p>\(partnerLine())</header>
        <main>
        <section id="view" tabindex="0" aria-label="The atlas: drag to pan, wheel or + and − to zoom, n and p step through the contexts">
        <div id="stage"><div id="tiles"></div><svg id="marks" xmlns="http://www.w3.org/2000/svg"></svg></div>
        <div id="zoom"><button type="button" id="zoom-in" aria-label="Zoom in">+</button><button type="button" id="zoom-out" aria-label="Zoom out">−</button><button type="button" id="zoom-fit" aria-label="Fit the atlas">fit</button></div>
        <div id="card" role="status" aria-live="polite" hidden></div>
        </section>
        <aside>
        <label for="search">Search text or id</label>
        <input id="search" type="search" autocomplete="off" spellcheck="false" placeholder="word or id">
        <p id="count"></p>
        <div id="sort" role="group" aria-label="Sort the contexts by"><button type="button" data-key="rank" aria-pressed="true">score</button><button type="button" data-key="cluster" aria-pressed="false">cluster</button><button type="button" data-key="id" aria-pressed="false">id</button></div>
        <ol id="list" aria-label="Contexts"></ol>
        </aside>
        </main>
        <footer>
        <section><h2>Clusters</h2><ul id="legend">
        """
        for c in manifest.clusters ?? [] {
            s += "<li><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" fill=\"\(Escaping.htmlAttribute(c.color))\"/></svg> <b>\(c.id)</b> \(t(c.label.isEmpty ? "—" : c.label))</li>"
        }
        s += "</ul></section>\n<section><h2>Scores</h2>\(histogramSVG())</section>\n<section><h2>Latent</h2><dl>"
        for (k, v) in meta { s += "<dt>\(t(k))</dt><dd>\(t(v))</dd>" }
        s += "</dl>"
        if !downloads.isEmpty {
            s += "<p class=\"links\">"
            for f in downloads {
                s += "<a href=\"\(Escaping.htmlAttribute(Escaping.urlPathComponent(f)))\">\(t(f))</a> "
            }
            s += "</p>"
        }
        s += "</section>\n</footer>"
        return s
    }

    /// A pair's page names its partner under the title: the link, and how many contexts are in both.
    func partnerLine() -> String {
        guard let partner else { return "" }
        return "<p class=\"sub pair\">Paired with <a id=\"partner\" href=\"\(Escaping.htmlAttribute(Escaping.urlPathComponent(partner.page)))\">\(Escaping.htmlText(partner.latent))</a> (the other half of the sheet): \(partner.counterparts.count) context(s) in both, ringed dashed (same text); pin one to link to it there.</p>"
    }

    func histogramSVG() -> String {
        let h = histogram ?? Histogram.of(scores: manifest.contexts.map(\.score))
        let w = 240.0, ht = 80.0
        let top = Double(h.counts.max() ?? 1)
        let bw = w / Double(max(1, h.counts.count))
        var s = "<svg id=\"histogram\" viewBox=\"0 0 \(Int(w)) \(Int(ht + 16))\" role=\"img\" aria-label=\"\(Escaping.htmlAttribute("Histogram of \(h.source)"))\">"
        for (i, n) in h.counts.enumerated() where n > 0 {
            let bh = Double(n) / top * ht
            s += "<rect x=\"\(Self.number(Double(i) * bw))\" y=\"\(Self.number(ht - bh))\" width=\"\(Self.number(max(1, bw - 1)))\" height=\"\(Self.number(bh))\"><title>\(n)</title></rect>"
        }
        if let th = h.threshold, h.high > h.low {
            let x = (th - h.low) / (h.high - h.low) * w
            s += "<line class=\"threshold\" x1=\"\(Self.number(x))\" x2=\"\(Self.number(x))\" y1=\"0\" y2=\"\(Int(ht))\"/>"
        }
        s += "<text x=\"0\" y=\"\(Int(ht + 13))\">\(Self.number(h.low))</text><text x=\"\(Int(w))\" y=\"\(Int(ht + 13))\" text-anchor=\"end\">\(Self.number(h.high))</text></svg>"
        s += "<p class=\"sub\">\(Escaping.htmlText(h.source))</p>"
        return s
    }

    static func number(_ x: Double) -> String {
        x.isFinite ? String(format: "%.4g", x) : "0"
    }
}
