import AtlasCore
import Composite
import Contexts
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
        let inputHash = Fingerprint.inputHash(inputBytes)
        return try latents.map { try render($0, inputHash: inputHash, request: request, progress: progress) }
    }

    static func render(_ latent: Latent, inputHash: String, request: RenderRequest, progress: (String) -> Void) throws -> RenderResult {
        var latent = latent
        if let title = request.title { latent.title = title }
        let style = request.style
        let s = style.settings
        var timings: [String: Double] = [:]
        func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
            let start = DispatchTime.now().uptimeNanoseconds
            defer { timings[stage] = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
            progress("\(latent.name): \(stage)")
            return try body()
        }

        let highlights = timed("highlight") { Highlighter(settings: s.highlight).highlight(latent.contexts) }
        let layout = try timed("layout") { try Layout.compute(layoutInput(latent), settings: s.layout, seed: style.seed) }
        let plan = AtlasPlanner(settings: s).plan(latent: latent, highlights: highlights, layout: layout)

        let image = try timed("composite") { () -> RGBAImage in
            let surface = try Surface.image(width: s.canvas.width, height: s.canvas.height)
            let drawing = try Drawing(surface)
            let compositor = Compositor(palette: s.palette, circle: s.circle, typography: s.typography)
            try compositor.draw(plan, on: drawing, typesetter: try Typesetter())
            return surface.rgbaImage()
        }

        let fingerprint = Fingerprint.of(inputHash: inputHash, style: style, title: request.title)
        let base = (request.outputDirectory as NSString).appendingPathComponent(latent.name)
        var files: [String] = []
        try timed("encode") {
            let provenance: [(key: String, value: String)] = [
                ("Title", plan.title), ("Source", latent.source), ("latentatlas:input-hash", inputHash),
                ("latentatlas:style", style.name), ("latentatlas:style-hash", style.hash),
                ("latentatlas:seed", String(style.seed)), ("latentatlas:fingerprint", fingerprint),
            ]
            let options = RenderFiles.pngOptions(output: s.output, dpi: s.canvas.dpi, provenance: provenance)
            if s.output.bitDepth == 16 {
                try RenderFiles.writePNG(floatImage(image), to: base + ".png", options: options)
            } else {
                try RenderFiles.writePNG(image, to: base + ".png", options: options)
            }
            files.append(base + ".png")
        }

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

    static func layoutInput(_ latent: Latent) -> LayoutInput {
        let c = latent.contexts
        let embeddings = c.allSatisfy { $0.embedding != nil } ? c.map { $0.embedding! } : nil
        let positions = c.allSatisfy { $0.position != nil } ? c.map { $0.position! } : nil
        return LayoutInput(texts: c.map(\.text), scores: c.map(\.score), embeddings: embeddings, positions: positions)
    }

    static func floatImage(_ image: RGBAImage) -> FloatImage {
        var v = [Float](repeating: 0, count: image.width * image.height * 3)
        for i in 0..<(image.width * image.height) {
            for c in 0..<3 { v[i * 3 + c] = Float(image.pixels[i * 4 + c]) / 255 }
        }
        return FloatImage(width: image.width, height: image.height, values: v)
    }
}
