import AtlasCore
import Composite
import Contexts
import Decode
import Encode
import Foundation
import Graphics
import Highlight
import Layout
import Styles

/// Wires the stages: contexts → highlight → layout → plan → composite → encode.
public enum Renderer {
    /// Renders every latent in the request's input (or the one it names).
    public static func render(_ request: RenderRequest, progress: (String) -> Void = { _ in }) throws -> [RenderResult] {
        let inputBytes = FileManager.default.contents(atPath: request.input) ?? Data()
        var latents = try LatentReader.read(request.input)
        if let wanted = request.latent {
            guard let match = latents.first(where: { $0.name == wanted }) else {
                throw PipelineError.noSuchLatent(file: request.input, name: wanted, available: latents.map(\.name))
            }
            latents = [match]
        }
        let inputHash = Self.inputHash(inputBytes)
        return try latents.map { try render($0, inputHash: inputHash, request: request, progress: progress) }
    }

    static func render(_ latent: Latent, inputHash: String, request: RenderRequest, progress: (String) -> Void) throws -> RenderResult {
        var latent = latent
        if let title = request.title { latent.title = title }
        let style = request.style
        let s = style.settings
        let threads = max(1, request.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        var timings: [String: Double] = [:]
        var stepFiles: [String] = []
        func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
            let start = DispatchTime.now().uptimeNanoseconds
            defer { timings[stage] = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
            progress("\(latent.name): \(stage)")
            return try body()
        }

        let highlights = timed("highlight") { Highlighter(settings: s.highlight).highlight(latent.contexts) }
        let layout = try timed("layout") { try Layout.compute(layoutInput(latent), settings: s.layout, seed: style.seed, threads: threads) }
        let plan = timed("plan") { AtlasPlanner(settings: s).plan(latent: latent, highlights: highlights, layout: layout) }
        let base = (request.outputDirectory as NSString).appendingPathComponent(latent.name)
        var painting: PaintingSource?
        if style.composite.layers.contains(.painting) {
            let regions = Self.regions(latent: latent, highlights: highlights, layout: layout, page: plan.page, settings: s)
            var decoder = Decoder(settings: s.decode, palette: s.palette)
            decoder.maxThreads = threads
            var intermediates: [String] = []
            var stepError: Error?
            let stepEvery = request.saveSteps ?? 0
            let result = try timed("decode") {
                try decoder.paint(regions: regions, width: plan.page.width, height: plan.page.height, seed: style.seed) { step, preview in
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
            timings["decode.conditioning"] = result.timings.conditioning
            timings["decode.denoise"] = result.timings.denoise
            timings["decode.fusion"] = result.timings.fusion
            stepFiles = intermediates
            painting = { result.render($0) }
        }
        var raster = AtlasRaster(compositor: Compositor(style: style.composite), plan: plan, painting: painting)
        raster.threads = threads

        let fingerprint = Self.fingerprint(inputHash: inputHash, style: style, title: request.title)
        let provenance: [(key: String, value: String)] = [
            ("Title", plan.title), ("Source", (latent.source as NSString).lastPathComponent), ("latentatlas:input-hash", inputHash),
            ("latentatlas:style", style.name), ("latentatlas:style-hash", style.hash),
            ("latentatlas:seed", String(style.seed)), ("latentatlas:fingerprint", fingerprint),
        ]
        let options = RenderFiles.pngOptions(output: s.output, dpi: s.canvas.dpi, provenance: provenance)
        let writer = AtlasWriter(raster: raster, dpi: s.canvas.dpi, bandPixels: s.output.bandPixels)
        var files: [String] = []
        for format in request.formats ?? s.output.formats {
            let path = base + "." + format.rawValue
            try timed(format.rawValue) {
                switch format {
                case .png: try writer.writePNG(to: path, options: options)
                case .pdf: try writer.writePDF(to: path, options: options)
                case .svg: try writer.writeSVG(to: path)
                case .tiff: try writer.writeTIFF(to: path, options: RenderFiles.tiffOptions(output: s.output, dpi: s.canvas.dpi, title: plan.title, source: (latent.source as NSString).lastPathComponent))
                }
            }
            files.append(path)
        }
        if request.layerFiles ?? s.output.layerFiles {
            files += try timed("layers") { try writer.writeLayers(base: base, options: options) }
        }
        files += stepFiles

        let entries: [Manifest.ContextEntry] = latent.contexts.indices.map { i in
            let c = latent.contexts[i]
            let p = layout.positions[i]
            return Manifest.ContextEntry(id: c.id, score: c.score, position: [p.x, p.y], radius: layout.radii[i],
                                         cluster: layout.clusters[i], markedText: highlights[i].markedText)
        }
        let canvas = Manifest.CanvasInfo(width: s.canvas.width, height: s.canvas.height, dpi: s.canvas.dpi,
                                         widthCentimetres: Double(s.canvas.width) / s.canvas.dpi * 2.54,
                                         heightCentimetres: Double(s.canvas.height) / s.canvas.dpi * 2.54)
        let info = Manifest.LatentInfo(name: latent.name, title: latent.title, model: latent.model, layer: latent.layer,
                                       index: latent.index, description: latent.description)
        let manifest = Manifest(
            fingerprint: fingerprint,
            input: Manifest.Input(path: latent.source, hash: inputHash, format: (latent.source as NSString).pathExtension),
            latent: info,
            style: Manifest.StyleInfo(name: style.name, hash: style.hash, overrides: request.overrides),
            seed: style.seed, canvas: canvas,
            outputs: files.map { ($0 as NSString).lastPathComponent },
            warnings: latent.warnings.map(\.description),
            contexts: entries, timings: timings)
        let manifestPath = base + ".json"
        try RenderFiles.writeManifest(manifest, to: manifestPath)
        files.append(manifestPath)
        return RenderResult(latent: latent.name, files: files, manifestPath: manifestPath,
                            warnings: latent.warnings.map(\.description), width: s.canvas.width, height: s.canvas.height)
    }

    /// One decoder region per context: where the layout put it, its size, what it looks like
    /// (its embedding, or the built-in text embedding) and its highlighted words.
    static func regions(latent: Latent, highlights: [HighlightedContext], layout: Layout, page: Page, settings: Style.Settings) -> [Region] {
        latent.contexts.indices.map { i in
            let c = latent.contexts[i]
            return Region(center: page.atlas.point(layout.positions[i]), radius: layout.radii[i] * page.atlas.radius,
                          features: c.embedding ?? TextEmbedding.embed(c.text, dimensions: settings.layout.embeddingDimensions),
                          motifs: highlights[i].motifs.map { Motif(word: $0.word, weight: $0.weight) },
                          seed: StableHash.of(c.id))
        }
    }

    static func layoutInput(_ latent: Latent) -> LayoutInput {
        let c = latent.contexts
        let embeddings = c.allSatisfy { $0.embedding != nil } ? c.map { $0.embedding! } : nil
        let positions = c.allSatisfy { $0.position != nil } ? c.map { $0.position! } : nil
        return LayoutInput(texts: c.map(\.text), scores: c.map(\.score), embeddings: embeddings, positions: positions)
    }

    /// What an up-to-date render's manifest records: input bytes, resolved style, seed and tool version,
    /// and the title when one replaces the latent's own (`atlas batch` compares it to skip renders).
    public static func fingerprint(inputHash: String, style: Style, title: String? = nil) -> String {
        let h = StableHash.combine(StableHash.combine(StableHash.of(inputHash), StableHash.of(style.hash)),
                                   StableHash.combine(style.seed, StableHash.of(ToolVersion.current)))
        // Only mixed in when given, so renders without a title keep the fingerprints they always had.
        return StableHash.hex(title.map { StableHash.combine(h, StableHash.of($0)) } ?? h)
    }

    /// The input hash a manifest records: FNV-1a 64 of the input file's bytes.
    public static func inputHash(_ bytes: Data) -> String {
        StableHash.hex(StableHash.fnv1a(bytes))
    }
}
