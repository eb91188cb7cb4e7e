import AtlasCore
import Browser
import Composite
import Contexts
import Decode
import Encode
import Foundation
import Graphics
import Highlight
import Layout
import Styles

/// `atlas render A B --composition pair`: two latents' atlases side by side on one sheet (the flip
/// side of a steering pair, or two models' versions of one concept).
///
/// - The sheet is two single pages of the style's canvas side by side (`Page.pair`), so each atlas
///   is as large as it would be alone; A is on the left.
/// - One score scale: region sizes (the layout's radial law) and the heatmap's weights are
///   normalised over the union of both latents' score ranges, and both heatmaps share the higher
///   density peak, so equal scores look equal on both sides. One legend (top right) picks the
///   strongest, median and weakest score of both latents together; the credits are set once.
/// - Files: `<A>+<B>.png` / `.pdf` / … (the sheet; `<A>` and `<B>` are the latents' output stems),
///   and per side a manifest and, with `html`, a browser page: `<A>+<B>.left.json|html` and
///   `<A>+<B>.right.json|html`. Each page shows the whole sheet, finds its own latent's contexts,
///   links to the other page and rings the contexts present in both.
/// - A context is *present in both* when its text (markup removed, NFC, white space collapsed) is
///   the same in both latents. Ids are not compared: Neuronpedia ids name one activation record
///   of one feature (or are the row's ordinal), so the same prompt has different ids in two
///   latents, and equal ids from two files say nothing about the text.
public enum PairRenderer {
    /// The two sides: every request field but `input` comes from `request`.
    public static func render(_ request: RenderRequest, right: String, progress: @escaping (String) -> Void = { _ in }) throws -> RenderResult {
        var style = request.style
        style.settings.composition = .pair
        let s = style.settings
        // The sheet is twice the canvas wide: its memory estimate is the estimate for that page.
        var sheetStyle = style
        sheetStyle.settings.canvas.width *= 2
        var sized = request
        sized.style = sheetStyle
        let memory = try Renderer.memory(sized)

        let inputs = [request.input, right]
        var latents = try inputs.map { try single(in: $0, settings: s.input) }
        if let title = request.title { for k in latents.indices { latents[k].title = title } }
        let stem = try OutputName.pairStem(latents[0].name, latents[1].name)
        try request.claim?([(latent: latents[0].name + " + " + latents[1].name, stem: stem)])
        let hashes = try inputs.map { try Renderer.inputHash(ofFile: $0) }
        let threads = max(1, request.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        var clock = StageClock(latent: latents[0].name + " + " + latents[1].name, progress: progress)

        // One score scale for both.
        let scores = latents.flatMap { $0.contexts.map(\.score) }
        let range = (scores.min() ?? 0)...(scores.max() ?? 1)
        let (leftPage, rightPage) = Page.pair(canvas: s.canvas, bleedMillimetres: s.print.bleed, cropMarks: s.print.cropMarks)
        let pages = [leftPage, rightPage]
        let highlights = clock.time("highlight") { latents.map { Highlighter(settings: s.highlight).highlight($0.contexts, family: $0.tokenFamily) } }
        let layouts = try clock.time("layout") {
            try latents.map { latent -> Layout in
                var input = Renderer.layoutInput(latent)
                input.scoreRange = range
                return try Layout.compute(input, settings: s.layout, seed: style.seed, threads: threads)
            }
        }
        let typesetter = try Typesetter()
        let plans = clock.time("plan") { () -> [AtlasPlan] in
            var plans = (0..<2).map { k in
                AtlasPlanner(settings: s, page: pages[k], scoreRange: range).plan(latent: latents[k], highlights: highlights[k], layout: layouts[k])
            }
            // Both heatmaps on the higher peak; one legend (right), one credits block (right).
            let peak = plans.compactMap { $0.density?.peak }.max() ?? 0
            for k in plans.indices { plans[k].density = plans[k].density?.normalised(toPeak: peak) }
            plans[1].legend = sharedLegend(latents: latents, layouts: layouts, radius: rightPage.atlas.radius)
            plans[0].legend = []
            plans[0].drawsCredits = false
            let compositor = Compositor(style: style.composite)
            for k in plans.indices { plans[k].typeset = compositor.typeset(plans[k], with: typesetter) }
            return plans
        }
        let local = Page(canvas: s.canvas, composition: .single, bleedMillimetres: s.print.bleed, cropMarks: s.print.cropMarks)
        let sides = (0..<2).map { k in
            LatentPlan(latent: latents[k], highlights: highlights[k], layout: layouts[k], atlas: plans[k],
                       regions: Renderer.regions(latent: latents[k], highlights: highlights[k], layout: layouts[k], page: local, settings: s),
                       regionPlan: nil)
        }

        // Each side is decoded as its own single page; the right one is shifted by the canvas width.
        let shift = rightPage.trim.x - leftPage.trim.x
        var paintings: [Painting] = []
        if style.composite.layers.contains(.painting) {
            for side in sides {
                var decoder = LatentDecoder(settings: s.decode, palette: s.palette)
                decoder.maxThreads = threads
                paintings.append(try clock.time("decode") {
                    try decoder.paint(regions: side.regions, width: local.width, height: local.height,
                                      discCenter: local.atlas.center, discRadius: local.atlas.radius, seed: style.seed)
                })
            }
        }
        var sheet = plans[0]
        sheet.companions = [plans[1]]
        let split = Int(rightPage.trim.x.rounded()), width = s.canvas.width
        var painting: PaintingSource?
        if paintings.count == 2 {
            let (left, right) = (paintings[0], paintings[1])
            painting = { @Sendable (rect: PixelRect) -> FloatImage in
                stitched(rect, split: split, shift: width, left: { left.render($0) }, right: { right.render($0) })
            }
        }
        var raster = AtlasRaster(compositor: Compositor(style: style.composite), plan: sheet, painting: painting)
        raster.threads = threads

        let inputHash = StableHash.hex(StableHash.of(hashes.joined(separator: "+")))
        let fingerprint = Renderer.fingerprint(inputHash: inputHash, style: style, title: request.title)
        let title = plans.map(\.title).joined(separator: " | ")
        let sources = latents.map { ($0.source as NSString).lastPathComponent }.joined(separator: " | ")
        let provenance = Renderer.provenance(title: title, source: sources, inputHash: inputHash, style: style, fingerprint: fingerprint)
        let base = (request.outputDirectory as NSString).appendingPathComponent(stem)
        let browser = try BrowserOutput(formats: request.formats ?? s.output.formats, base: base, page: leftPage, settings: s)
        let files = try Renderer.write(raster, title: title, source: sources, provenance: provenance, browser: browser,
                                       request: request, memory: memory, base: base, clock: &clock).filter { !$0.hasSuffix(".html") }
        let digests = try Renderer.digests(files)

        // Per side: its manifest (its contexts in sheet pixels) and its page.
        let names = ["left", "right"]
        let canvas = Renderer.canvasInfo(width: 2 * s.canvas.width, height: s.canvas.height, dpi: s.canvas.dpi)
        let shared = sharedContexts(latents[0], latents[1])
        var manifestPaths: [String] = []
        var manifestDigests: [Manifest.OutputFile] = []
        for k in 0..<2 {
            let sideBase = base + "." + names[k]
            let words = paintings.isEmpty ? nil : paintings[k].words.map { w -> Lettering.PlacedWord in
                var w = w
                w.box.x += k == 1 ? shift : 0
                return w
            }
            var manifest = Renderer.manifest(sides[k], words: words, files: files, digests: digests, canvas: canvas,
                                             fingerprint: fingerprint, inputHash: hashes[k], request: request,
                                             warnings: latents[k].warnings.map(\.description))
            if k == 0 { manifest.timings = clock.timings }
            if browser.wantsPage {
                let other = ((base + "." + names[1 - k] + ".html") as NSString).lastPathComponent
                let partner = BrowserPage.Partner(page: other, latent: latents[1 - k].name,
                                                  counterparts: k == 0 ? shared : Dictionary(shared.map { ($1, $0) }, uniquingKeysWith: min))
                try clock.time("html") { try browser.writePage(manifest, to: sideBase + ".html", partner: partner) }
            }
            let path = sideBase + ".json"
            try RenderFiles.writeManifest(manifest, to: path)
            manifestPaths.append(path)
            manifestDigests += try Renderer.digests([path])
        }
        let pagePaths = browser.wantsPage ? names.map { base + "." + $0 + ".html" } : []
        let warnings = latents.flatMap { $0.warnings.map(\.description) }
        return RenderResult(latent: latents[0].name + " + " + latents[1].name, files: files + pagePaths + manifestPaths,
                            manifestPath: manifestPaths[0], digests: digests + manifestDigests, warnings: warnings,
                            width: leftPage.width, height: leftPage.height, fingerprint: fingerprint,
                            format: latents.map(\.format).joined(separator: " | "))
    }

    /// The one live latent an input holds (a pair takes one from each input).
    static func single(in input: String, settings: InputSettings) throws -> Latent {
        let latents = try LatentReader.read(input, settings: settings)
        let live = latents.filter { $0.dead == nil }
        if live.isEmpty, let dead = latents.first {
            throw InputError.deadFeature(file: input, latent: dead.name, reason: dead.dead ?? "no activation above 0")
        }
        guard live.count == 1 else { throw PairError.severalLatents(file: input, names: live.map(\.name)) }
        return live[0]
    }

    /// The legend both halves share: the strongest, median and weakest context of both latents
    /// together, with the region size the shared scale gives it.
    static func sharedLegend(latents: [Latent], layouts: [Layout], radius: Double) -> [AtlasPlan.LegendEntry] {
        AtlasPlanner.legend(scores: latents.flatMap { $0.contexts.map(\.score) }, radii: layouts.flatMap(\.radii), atlasRadius: radius)
    }

    /// The text two contexts must share to be the same context in both latents.
    static func sharedKey(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Every context of `a` whose text is also in `b`, mapped to the id of `b`'s first such context.
    static func sharedContexts(_ a: Latent, _ b: Latent) -> [String: String] {
        var inB: [String: String] = [:]
        for c in b.contexts where inB[sharedKey(c.text)] == nil { inB[sharedKey(c.text)] = c.id }
        var out: [String: String] = [:]
        for c in a.contexts { if let id = inB[sharedKey(c.text)] { out[c.id] = id } }
        return out
    }

    /// `rect` of the sheet: columns left of `split` from `left`, the rest from `right`, whose own
    /// page is the sheet shifted left by `shift` (the canvas width).
    static func stitched(_ rect: PixelRect, split: Int, shift: Int, left: (PixelRect) -> FloatImage,
                         right: (PixelRect) -> FloatImage) -> FloatImage {
        if rect.maxX <= split { return left(rect) }
        if rect.x >= split { return right(PixelRect(x: rect.x - shift, y: rect.y, width: rect.width, height: rect.height)) }
        let l = left(PixelRect(x: rect.x, y: rect.y, width: split - rect.x, height: rect.height))
        let r = right(PixelRect(x: split - shift, y: rect.y, width: rect.maxX - split, height: rect.height))
        var out = FloatImage(width: rect.width, height: rect.height)
        let lw = l.width * 3, rw = r.width * 3, w = rect.width * 3
        for row in 0..<rect.height {
            out.values.replaceSubrange((row * w)..<(row * w + lw), with: l.values[(row * lw)..<(row * lw + lw)])
            out.values.replaceSubrange((row * w + lw)..<(row * w + w), with: r.values[(row * rw)..<(row * rw + rw)])
        }
        return out
    }
}

/// Why a pair cannot be rendered as asked (usage errors: exit 64).
public enum PairError: Error, Equatable, CustomStringConvertible {
    case severalLatents(file: String, names: [String])
    case inputs(count: Int)

    public var description: String {
        switch self {
        case let .severalLatents(file, names):
            return "\(file) holds \(names.count) latents (\(names.prefix(5).joined(separator: ", "))\(names.count > 5 ? ", …" : "")); --composition pair takes one latent from each input, so give two single-latent inputs."
        case let .inputs(count):
            return "--composition pair sets two latents side by side and needs exactly two inputs (atlas render A B --composition pair); got \(count)."
        }
    }
}

extension OutputName {
    /// The stem of a pair's files: both latents' stems joined by `+` (which no stem holds, so the
    /// halves stay readable); past `maximumBytes`, the one rule applied to the joined names.
    static func pairStem(_ a: String, _ b: String) throws -> String {
        let joined = try stem(for: a) + "+" + stem(for: b)
        return joined.utf8.count <= maximumBytes ? joined : try stem(for: a + "+" + b)
    }
}
