import AtlasCore
import Composite
import Contexts
import Decode
import Encode
import Foundation
import Highlight
import Layout

extension Renderer {
    /// The manifest step: the manifest of what was written (with every file's digest), the browser
    /// page made from it, then the manifest itself, last.
    static func finish(_ plan: LatentPlan, painted: PaintedAtlas, files written: [String], browser: BrowserOutput,
                       fingerprint: String, inputHash: String, request: RenderRequest, base: String,
                       clock: inout StageClock) throws -> RenderResult {
        let s = request.style.settings
        // The browser page is written from the manifest, after it: it has no digest.
        let digests = try Self.digests(written.filter { !$0.hasSuffix(".html") })
        let warnings = plan.latent.warnings.map(\.description) + painted.warnings
        var manifest = Self.manifest(plan, words: painted.words, files: written, digests: digests,
                                     canvas: canvasInfo(width: s.canvas.width, height: s.canvas.height, dpi: s.canvas.dpi),
                                     fingerprint: fingerprint, inputHash: inputHash, request: request, warnings: warnings)
        manifest.timings = clock.timings
        if browser.wantsPage {
            try clock.time("html") { try browser.writePage(manifest) }
            manifest.timings = clock.timings
        }
        let manifestPath = base + ".json"
        try RenderFiles.writeManifest(manifest, to: manifestPath)
        return RenderResult(latent: plan.latent.name, files: written + [manifestPath], manifestPath: manifestPath,
                            digests: digests + (try Self.digests([manifestPath])),
                            warnings: warnings, width: s.canvas.width, height: s.canvas.height,
                            fingerprint: fingerprint, format: plan.latent.format)
    }

    /// The manifest of one latent's render (without timings): what was read, with which style, where
    /// every context landed and what was written.
    static func manifest(_ plan: LatentPlan, words: [Lettering.PlacedWord]?, files: [String], digests: [Manifest.OutputFile],
                         canvas: Manifest.CanvasInfo, fingerprint: String, inputHash: String, request: RenderRequest,
                         warnings: [String]) -> Manifest {
        let style = request.style
        let latent = plan.latent
        let info = Manifest.LatentInfo(name: latent.name, title: latent.title, model: latent.model, layer: latent.layer,
                                       index: latent.index, description: latent.description, selection: latent.selection)
        let disc = plan.atlas.page.atlas
        var manifest = Manifest(
            fingerprint: fingerprint,
            input: Manifest.Input(path: latent.source, hash: inputHash,
                                  format: latent.format.isEmpty ? (latent.source as NSString).pathExtension : latent.format),
            latent: info,
            style: Manifest.StyleInfo(name: style.name, hash: style.hash, overrides: request.overrides),
            seed: style.seed, canvas: canvas,
            atlas: Manifest.Disc(center: [disc.center.x, disc.center.y], radius: disc.radius),
            outputs: files.map { ($0 as NSString).lastPathComponent }, outputFiles: digests,
            warnings: warnings, contexts: entries(plan, painted: words), timings: [:])
        manifest.addGeometry(plan: plan.atlas, layout: plan.layout, highlights: plan.highlights, palette: style.settings.palette)
        return manifest
    }

    /// The page's size in pixels and centimetres.
    static func canvasInfo(width: Int, height: Int, dpi: Double) -> Manifest.CanvasInfo {
        Manifest.CanvasInfo(width: width, height: height, dpi: dpi,
                            widthCentimetres: Double(width) / dpi * 2.54, heightCentimetres: Double(height) / dpi * 2.54)
    }

    /// Size and hash of each file.
    static func digests(_ files: [String]) throws -> [Manifest.OutputFile] {
        try files.map { Manifest.OutputFile(name: ($0 as NSString).lastPathComponent, digest: try FileDigest(path: $0)) }
    }

    /// Where each context landed, in the unit disc and in output pixels, and its highlighted words as painted.
    static func entries(_ plan: LatentPlan, painted: [Lettering.PlacedWord]?) -> [Manifest.ContextEntry] {
        let latent = plan.latent, layout = plan.layout, atlas = plan.atlas.page.atlas
        var boxes = [[String: (weight: Double, boxes: [[Double]])]](repeating: [:], count: latent.contexts.count)
        var order = [[String]](repeating: [], count: latent.contexts.count)
        for w in painted ?? [] where w.weight > 0 {
            if boxes[w.region][w.text] == nil { order[w.region].append(w.text); boxes[w.region][w.text] = (w.weight, []) }
            boxes[w.region][w.text]!.boxes.append([w.box.x, w.box.y, w.box.z, w.box.w])
        }
        return latent.contexts.indices.map { i in
            let c = latent.contexts[i]
            let p = layout.positions[i]
            let center = atlas.point(p)
            let highlighted = painted == nil ? nil : order[i].map {
                Manifest.HighlightedWord(word: $0, weight: boxes[i][$0]!.weight, boxes: boxes[i][$0]!.boxes)
            }
            return Manifest.ContextEntry(id: c.id, score: c.score, position: [p.x, p.y], radius: layout.radii[i],
                                         cluster: layout.clusters[i], markedText: plan.highlights[i].markedText,
                                         centerPx: [center.x, center.y], radiusPx: layout.radii[i] * atlas.radius,
                                         highlighted: highlighted)
        }
    }
}
