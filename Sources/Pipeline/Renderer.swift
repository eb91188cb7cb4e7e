import AtlasCore
import Composite
import Contexts
import Decode
import Encode
import Foundation
import Graphics
import Highlight
import Layout
import Plan
import Styles

/// Wires the stages: contexts → highlight → layout → plan → composite → encode.
public enum Renderer {
    /// Renders every latent in the request's input (or the one it names).
    public static func render(_ request: RenderRequest, progress: (String) -> Void = { _ in }) throws -> [RenderResult] {
        // Refused before anything is read when it cannot fit its memory budget.
        let memory = try Self.memory(request)
        // A batch passes the latents it already read (each input is read once) and their input's hash.
        var latents = try request.latents ?? LatentReader.read(request.input, settings: request.style.settings.input)
        if let wanted = request.latent {
            guard let match = latents.first(where: { $0.name == wanted || (try? OutputName.stem(for: $0.name)) == wanted }) else {
                throw PipelineError.noSuchLatent(file: request.input, name: wanted, available: latents.map(\.name))
            }
            latents = [match]
        }
        // Dead latents (no activation above 0) are not rendered: an error when nothing else is left.
        let live = latents.filter { $0.dead == nil }
        if live.isEmpty, let dead = latents.first {
            throw InputError.deadFeature(file: request.input, latent: dead.name, reason: dead.dead ?? "no activation above 0")
        }
        let stems = try Self.outputStems(live, input: request.input)
        try request.claim?(zip(live.map(\.name), stems).map { (latent: $0, stem: $1) })
        let inputHash = try request.inputHash ?? Self.inputHash(ofFile: request.input)
        let names = live.map(\.name)
        let paintingHash = request.exportPlan == nil ? request.painting?.hash(latents: names) : nil
        return try zip(live, stems).map {
            try render($0, stem: $1, inputHash: inputHash, request: request, memory: memory, latents: names, paintingHash: paintingHash,
                       progress: progress)
        }
    }

    /// The render's memory estimate, checked against its budget.
    public static func memory(_ request: RenderRequest) throws -> RenderMemory {
        let size = (try? FileManager.default.attributesOfItem(atPath: request.input)[.size] as? NSNumber)?.uint64Value ?? 0
        let memory = RenderMemory(style: request.style, formats: request.formats, layerFiles: request.layerFiles, saveSteps: request.saveSteps,
                                  threads: request.threads ?? ProcessInfo.processInfo.activeProcessorCount, inputBytes: size,
                                  budget: request.memoryBudget)
        try memory.check(raise: "--memory or output.memory_budget_mb")
        return memory
    }

    /// Each latent's output stem (`OutputName`), checked before anything is drawn: a name that cannot
    /// name files, or two latents that would write the same files, stop the render.
    static func outputStems(_ latents: [Latent], input: String) throws -> [String] {
        do {
            if let (a, b, stem) = try OutputName.collision(among: latents.map(\.name)) {
                throw OutputNameError.collision(first: a, second: b, stem: stem)
            }
            return try latents.map { try OutputName.stem(for: $0.name) }
        } catch let e as OutputNameError {
            throw OutputNameError.inInput(input, e)
        }
    }

    static func render(_ latent: Latent, stem: String, inputHash: String, request: RenderRequest, memory: RenderMemory,
                       latents: [String] = [], paintingHash: String? = nil,
                       progress: (String) -> Void) throws -> RenderResult {
        var latent = latent
        if let title = request.title { latent.title = title }
        let style = request.style
        let s = style.settings
        let threads = max(1, request.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        var timings: [String: Double] = [:]
        var stepFiles: [String] = []
        var painting: PaintingSource?
        var paintingWarnings: [String] = []
        func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
            let start = DispatchTime.now().uptimeNanoseconds
            defer { timings[stage] = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
            progress("\(latent.name): \(stage)")
            return try body()
        }

        let highlights = timed("highlight") { Highlighter(settings: s.highlight).highlight(latent.contexts, family: latent.tokenFamily) }
        let layout = try timed("layout") { try Layout.compute(layoutInput(latent), settings: s.layout, seed: style.seed, threads: threads) }
        let plan = timed("plan") { AtlasPlanner(settings: s).plan(latent: latent, highlights: highlights, layout: layout) }
        let base = (request.outputDirectory as NSString).appendingPathComponent(stem)
        var painted: [Lettering.PlacedWord] = []
        // The region plan: exported for an outside painter, or the check on that painter's image.
        if request.exportPlan != nil || request.painting != nil {
            let regionPlan = RegionPlanner.plan(latent: latent, highlights: highlights, layout: layout, page: plan.page, style: style,
                                                threads: threads)
            if let folder = request.exportPlan { return try timed("export-plan") { try exportPlan(regionPlan, to: folder, threads: threads) } }
            if let input = request.painting {
                (painting, paintingWarnings) = try timed("painting") {
                    try externalPainting(input, plan: regionPlan, latents: latents.isEmpty ? [latent.name] : latents, inputPath: request.input)
                }
            }
        }
        if painting == nil, style.composite.layers.contains(.painting) {
            let regions = Self.regions(latent: latent, highlights: highlights, layout: layout, page: plan.page, settings: s)
            var decoder = Decoder(settings: s.decode, palette: s.palette)
            decoder.maxThreads = threads
            var intermediates: [String] = []
            var stepError: Error?
            let stepEvery = request.saveSteps ?? 0
            let result = try timed("decode") {
                try decoder.paint(regions: regions, width: plan.page.width, height: plan.page.height,
                                  discCenter: plan.page.atlas.center, discRadius: plan.page.atlas.radius, seed: style.seed) { step, preview in
                    guard stepEvery > 0, step % stepEvery == 0 || step == s.decode.steps else { return }
                    let path = "\(base).step-\(String(format: "%03d", step)).png"
                    guard stepError == nil else { return }
                    do {
                        try RenderFiles.writePNG(preview.image(), to: path, options: PNGOptions(compressionLevel: 1))
                        intermediates.append(path)
                    } catch {
                        stepError = error
                    }
                }
            }
            if let stepError { throw stepError }
            timings["decode.planning"] = result.timings.planning
            timings["decode.conditioning"] = result.timings.conditioning
            timings["decode.denoise"] = result.timings.denoise
            timings["decode.fusion"] = result.timings.fusion
            stepFiles = intermediates
            painted = result.words
            painting = { result.render($0) }
        }
        var raster = AtlasRaster(compositor: Compositor(style: style.composite), plan: plan, painting: painting)
        raster.threads = threads

        let fingerprint = Self.fingerprint(inputHash: inputHash, style: style, title: request.title, painting: paintingHash)
        let provenance: [(key: String, value: String)] = [
            ("Title", plan.title), ("Source", (latent.source as NSString).lastPathComponent), ("latentatlas:input-hash", inputHash),
            ("latentatlas:style", style.name), ("latentatlas:style-hash", style.hash),
            ("latentatlas:seed", String(style.seed)), ("latentatlas:fingerprint", fingerprint),
        ] + (paintingHash.map { [("latentatlas:painting-hash", $0)] } ?? [])
        let options = RenderFiles.pngOptions(output: s.output, dpi: s.canvas.dpi, provenance: provenance)
        let writer = AtlasWriter(raster: raster, dpi: s.canvas.dpi, bandPixels: memory.bandPixels)
        var files: [String] = []
        let browser = try BrowserOutput(formats: request.formats ?? s.output.formats, base: base, page: plan.page, settings: s)
        // A PNG and a PDF are written from one pass over the bands (the painting decoded once), timed as `png+pdf`.
        let pngAndPDF = browser.formats.contains(.png) && browser.formats.contains(.pdf)
        for format in browser.formats {
            let path = base + "." + format.rawValue
            if pngAndPDF && format == .pdf { files.append(path); continue }
            try timed(pngAndPDF && format == .png ? "png+pdf" : format.rawValue) {
                switch format {
                case .png where pngAndPDF:
                    try writer.writePNGAndPDF(png: path, pdf: base + ".pdf", options: options, alsoBands: browser.pyramid?.consume)
                case .png: try writer.writePNG(to: path, options: options, alsoBands: browser.pyramid?.consume)
                case .pdf: try writer.writePDF(to: path, options: options)
                case .svg: try writer.writeSVG(to: path)
                case .html: break   // written from the manifest, below
                case .tiff: try writer.writeTIFF(to: path, options: RenderFiles.tiffOptions(output: s.output, dpi: s.canvas.dpi, title: plan.title, source: (latent.source as NSString).lastPathComponent))
                }
            }
            files.append(path)
        }
        if request.layerFiles ?? s.output.layerFiles {
            files += try timed("layers") { try writer.writeLayers(base: base, options: options) }
        }
        files += stepFiles

        // The browser page is written from the manifest, after it: it has no digest.
        let digests = try files.filter { !$0.hasSuffix(".html") }.map { Manifest.OutputFile(name: ($0 as NSString).lastPathComponent, digest: try FileDigest(path: $0)) }
        let entries = Self.entries(latent: latent, highlights: highlights, layout: layout, plan: plan,
                                   painted: painting == nil || request.painting != nil ? nil : painted)
        let canvas = Manifest.CanvasInfo(width: s.canvas.width, height: s.canvas.height, dpi: s.canvas.dpi,
                                         widthCentimetres: Double(s.canvas.width) / s.canvas.dpi * 2.54,
                                         heightCentimetres: Double(s.canvas.height) / s.canvas.dpi * 2.54)
        let info = Manifest.LatentInfo(name: latent.name, title: latent.title, model: latent.model, layer: latent.layer,
                                       index: latent.index, description: latent.description, selection: latent.selection)
        var manifest = Manifest(
            fingerprint: fingerprint,
            input: Manifest.Input(path: latent.source, hash: inputHash, format: latent.format.isEmpty ? (latent.source as NSString).pathExtension : latent.format),
            latent: info,
            style: Manifest.StyleInfo(name: style.name, hash: style.hash, overrides: request.overrides),
            seed: style.seed, canvas: canvas,
            atlas: Manifest.Disc(center: [plan.page.atlas.center.x, plan.page.atlas.center.y], radius: plan.page.atlas.radius),
            outputs: files.map { ($0 as NSString).lastPathComponent }, outputFiles: digests,
            warnings: latent.warnings.map(\.description) + paintingWarnings,
            contexts: entries, timings: timings)
        manifest.addGeometry(plan: plan, layout: layout, highlights: highlights, palette: s.palette)
        if browser.wantsPage { try timed("html") { try browser.writePage(manifest) } }
        let manifestPath = base + ".json"
        try RenderFiles.writeManifest(manifest, to: manifestPath)
        files.append(manifestPath)
        let all = digests + [Manifest.OutputFile(name: (manifestPath as NSString).lastPathComponent, digest: try FileDigest(path: manifestPath))]
        return RenderResult(latent: latent.name, files: files, manifestPath: manifestPath, digests: all,
                            warnings: latent.warnings.map(\.description) + paintingWarnings, width: s.canvas.width, height: s.canvas.height,
                            fingerprint: fingerprint, format: latent.format)
    }

    /// One decoder region per context: where the layout put it, its size, what it looks like
    /// (its embedding, or the built-in text embedding; its cluster) and its own words with the
    /// highlight weight of each (pieces glued without a space form one word).
    static func regions(latent: Latent, highlights: [HighlightedContext], layout: Layout, page: Page, settings: Style.Settings) -> [Region] {
        latent.contexts.indices.map { i in
            let c = latent.contexts[i]
            return Region(center: page.atlas.point(layout.positions[i]), radius: layout.radii[i] * page.atlas.radius,
                          features: c.embedding ?? TextEmbedding.embed(c.text, dimensions: settings.layout.embeddingDimensions),
                          words: paintedWords(highlights[i]), cluster: layout.clusters[i], seed: StableHash.of(c.id))
        }
    }

    static func paintedWords(_ h: HighlightedContext) -> [Lettering.Word] {
        var words: [Lettering.Word] = []
        for (k, w) in h.words.enumerated() {
            let weight = h.highlighted[k] ? h.weights[k] : 0
            if !w.spaceBefore, !words.isEmpty {
                words[words.count - 1].text += w.text
                words[words.count - 1].weight = max(words[words.count - 1].weight, weight)
            } else {
                words.append(Lettering.Word(text: w.text, weight: weight))
            }
        }
        return words.filter { !$0.text.isEmpty }
    }

    /// Where each context landed, in the unit disc and in output pixels, and its highlighted words as painted.
    static func entries(latent: Latent, highlights: [HighlightedContext], layout: Layout, plan: AtlasPlan,
                        painted: [Lettering.PlacedWord]?) -> [Manifest.ContextEntry] {
        var boxes = [[String: (weight: Double, boxes: [[Double]])]](repeating: [:], count: latent.contexts.count)
        var order = [[String]](repeating: [], count: latent.contexts.count)
        for w in painted ?? [] where w.weight > 0 {
            if boxes[w.region][w.text] == nil { order[w.region].append(w.text); boxes[w.region][w.text] = (w.weight, []) }
            boxes[w.region][w.text]!.boxes.append([w.box.x, w.box.y, w.box.z, w.box.w])
        }
        return latent.contexts.indices.map { i in
            let c = latent.contexts[i]
            let p = layout.positions[i]
            let center = plan.page.atlas.point(p)
            let highlighted = painted == nil ? nil : order[i].map {
                Manifest.HighlightedWord(word: $0, weight: boxes[i][$0]!.weight, boxes: boxes[i][$0]!.boxes)
            }
            return Manifest.ContextEntry(id: c.id, score: c.score, position: [p.x, p.y], radius: layout.radii[i],
                                         cluster: layout.clusters[i], markedText: highlights[i].markedText,
                                         centerPx: [center.x, center.y], radiusPx: layout.radii[i] * plan.page.atlas.radius,
                                         highlighted: highlighted)
        }
    }

    static func layoutInput(_ latent: Latent) -> LayoutInput {
        let c = latent.contexts
        let embeddings = c.allSatisfy { $0.embedding != nil } ? c.map { $0.embedding! } : nil
        let positions = c.allSatisfy { $0.position != nil } ? c.map { $0.position! } : nil
        return LayoutInput(texts: c.map(\.text), scores: c.map(\.score), embeddings: embeddings, positions: positions)
    }

    /// What an up-to-date render's manifest records: input bytes, resolved style, seed and tool version,
    /// the title when one replaces the latent's own, and the outside paintings' hash when they replace
    /// the built-in decoder (`atlas batch` compares it to skip renders).
    public static func fingerprint(inputHash: String, style: Style, title: String? = nil, painting: String? = nil) -> String {
        var h = StableHash.combine(StableHash.combine(StableHash.of(inputHash), StableHash.of(style.hash)),
                                   StableHash.combine(style.seed, StableHash.of(ToolVersion.current)))
        // Only mixed in when given, so renders without a title or painting keep the fingerprints they always had.
        if let title { h = StableHash.combine(h, StableHash.of(title)) }
        if let painting { h = StableHash.combine(h, StableHash.of("painting:" + painting)) }
        return StableHash.hex(h)
    }

    /// The input hash of a file, or of an export folder (its activation, explanation and feature files' hashes together).
    public static func inputHash(ofFile path: String) throws -> String {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            let files = ["activations", "explanations", "features"].flatMap { sub -> [String] in
                let dir = (path as NSString).appendingPathComponent(sub)
                return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().map { (dir as NSString).appendingPathComponent($0) }
            }
            return inputHash(Data(files.map { f in f + ":" + inputHash(FileManager.default.contents(atPath: f) ?? Data()) }.joined(separator: "\n").utf8))
        }
        return inputHash(FileManager.default.contents(atPath: path) ?? Data())
    }

    /// The input hash a manifest records: FNV-1a 64 of the input file's bytes.
    public static func inputHash(_ bytes: Data) -> String {
        StableHash.hex(StableHash.fnv1a(bytes))
    }
}
