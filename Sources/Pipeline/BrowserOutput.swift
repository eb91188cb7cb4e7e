import AtlasCore
import Browser
import Composite
import Encode
import Foundation
import Styles

/// The data browser page of one render (`html` in the formats): it needs the PNG (the page shows
/// it), and on a large page a tile pyramid fed from the PNG's own bands; it is written from the
/// finished manifest, just before the manifest itself.
struct BrowserOutput {
    /// The formats to write: `html` brings `png` with it and goes last.
    let formats: [OutputFormat]
    let pyramid: TilePyramid?
    let base: String
    let settings: Style.Settings

    init(formats requested: [OutputFormat], base: String, page: Page, settings: Style.Settings) throws {
        var f = requested.filter { $0 != .html }
        let wantsPage = requested.contains(.html)
        if wantsPage && !f.contains(.png) { f.insert(.png, at: 0) }
        formats = wantsPage ? f + [.html] : f
        self.base = base
        self.settings = settings
        if wantsPage && max(page.width, page.height) > settings.browser.tilesAbove {
            pyramid = try TilePyramid(folder: base + ".tiles", width: page.width, height: page.height, tileSize: settings.browser.tileSize,
                                      compressionLevel: settings.output.compression)
        } else {
            pyramid = nil
        }
    }

    var wantsPage: Bool { formats.contains(.html) }

    /// The page's score histogram: from `atlas select`, every usable score it scanned with the top-K
    /// threshold marked; else the contexts' own scores (with the threshold when select chose them
    /// but recorded no distribution).
    static func histogram(_ manifest: Manifest) -> BrowserPage.Histogram? {
        guard let s = manifest.latent.selection else { return nil }
        guard let h = s.histogram else {
            var own = BrowserPage.Histogram.of(scores: manifest.contexts.map(\.score), source: "context scores (top \(s.top) from atlas select)")
            own.threshold = s.threshold
            return own
        }
        return BrowserPage.Histogram(source: "atlas select: all \(h.counts.reduce(0, +)) scores of \(s.rows) rows; the line is the top-\(s.top) threshold",
                                     low: h.lower, high: h.upper, counts: h.counts, threshold: s.threshold)
    }
    var pagePath: String { base + ".html" }

    /// Writes `<latent>.html` (or `path`) for `manifest` (whose outputs are the files beside it); a
    /// pair's two pages share the image (and its pyramid) and name each other as `partner`.
    func writePage(_ manifest: Manifest, to path: String? = nil, partner: BrowserPage.Partner? = nil) throws {
        let name = (base as NSString).lastPathComponent
        let picture: BrowserPage.Picture
        if let pyramid {
            try pyramid.finish()
            picture = .tiles(folder: name + ".tiles", tileSize: pyramid.tileSize, levels: pyramid.levels)
        } else {
            picture = .image(file: name + ".png")
        }
        let p = settings.palette
        let look = BrowserPage.Look(background: p.background.hex, ink: p.ink.hex, highlight: p.highlight.hex,
                                    fontFamily: settings.typography.family)
        let downloads = manifest.outputs.filter { $0.hasSuffix(".png") || $0.hasSuffix(".pdf") || $0.hasSuffix(".svg") }
            .filter { !$0.contains(".step-") }
        let page = BrowserPage(manifest: manifest, look: look, picture: picture, downloads: downloads,
                               histogram: Self.histogram(manifest), partner: partner,
                               maxZoom: settings.browser.maxZoom)
        try AtomicFile.write(Data(try page.html().utf8), to: path ?? pagePath)
    }
}
