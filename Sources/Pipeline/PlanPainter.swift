import AtlasCore
import Decode
import Encode
import Foundation
import Graphics
import Layout
import Plan
import Styles

/// The built-in decoder driven through a region plan (`atlas paint`): the same file an outside painter
/// reads, painted without model weights, written as a painting `--painting` takes.
public enum PlanPainter {
    /// Paints `plan` with `style`'s decoder and palette and writes an 8-bit sRGB PNG of the canvas size
    /// to `path`, recording the plan's fingerprint. Regions are conditioned on their text (the plan
    /// carries no embeddings), as a diffusion model is on its prompt.
    @discardableResult
    public static func paint(_ plan: RegionPlan, style: Style, to path: String, threads: Int = Parallel.allCores) throws -> String {
        let s = style.settings
        let regions = plan.regions.map { r in
            Region(center: r.centerPoint, radius: r.radius,
                   features: TextEmbedding.embed(r.text, dimensions: s.layout.embeddingDimensions),
                   words: r.words.map { Lettering.Word(text: $0.text, weight: $0.weight) }, cluster: r.cluster, seed: r.seed)
        }
        var decoder = LatentDecoder(settings: s.decode, palette: s.palette)
        decoder.maxThreads = threads
        let painting = try decoder.paint(regions: regions, width: plan.canvas.width, height: plan.canvas.height,
                                         discCenter: plan.disc.centerPoint, discRadius: plan.disc.radius, seed: plan.seed)
        let options = PNGOptions(bitDepth: 8, compressionLevel: s.output.compression, filter: s.output.filter,
                                 dotsPerInch: plan.canvas.dpi, srgb: true,
                                 text: [("Software", "\(ToolVersion.name) \(ToolVersion.current)"),
                                        (ExternalPainting.textKey, plan.fingerprint), ("latentatlas:painter", "built-in decoder, style \(style.name)")])
        // Band by band, so a print-size canvas streams through bounded memory.
        try AtomicFile.write(to: path) { temp in
            let writer = try PNGWriter(path: temp, width: plan.canvas.width, height: plan.canvas.height, channels: 3, options: options)
            let memory = RenderMemory(style: style, threads: threads, inputBytes: 0, budget: nil)
            let rows = max(1, memory.bandPixels / max(1, plan.canvas.width))
            for y in stride(from: 0, to: plan.canvas.height, by: rows) {
                let band = painting.render(PixelRect(x: 0, y: y, width: plan.canvas.width, height: min(rows, plan.canvas.height - y)))
                try PNGFile.writeRows(of: band, to: writer)
            }
            try writer.finish()
        }
        return path
    }
}
