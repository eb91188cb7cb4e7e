import AtlasCore
import Composite
import Encode
import Foundation
import Styles

extension Renderer {
    /// The write step: every requested format of the finished page, then the layer files; `html`
    /// is only announced here (the manifest step writes it). Returns the paths, in order.
    static func write(_ raster: AtlasRaster, title: String, source: String, provenance: [(key: String, value: String)],
                      browser: BrowserOutput, request: RenderRequest, memory: RenderMemory, base: String,
                      clock: inout StageClock) throws -> [String] {
        let s = request.style.settings
        let options = RenderFiles.pngOptions(output: s.output, dpi: s.canvas.dpi, provenance: provenance)
        let writer = AtlasWriter(raster: raster, dpi: s.canvas.dpi, bandPixels: memory.bandPixels)
        var files: [String] = []
        // A PNG and a PDF are written from one pass over the bands (the painting decoded once), timed as `png+pdf`.
        let pngAndPDF = browser.formats.contains(.png) && browser.formats.contains(.pdf)
        for format in browser.formats {
            let path = base + "." + format.rawValue
            if pngAndPDF && format == .pdf { files.append(path); continue }
            try clock.time(pngAndPDF && format == .png ? "png+pdf" : format.rawValue) {
                switch format {
                case .png where pngAndPDF:
                    try writer.writePNGAndPDF(png: path, pdf: base + ".pdf", options: options, alsoBands: browser.pyramid?.consume)
                case .png: try writer.writePNG(to: path, options: options, alsoBands: browser.pyramid?.consume)
                case .pdf: try writer.writePDF(to: path, options: options)
                case .svg: try writer.writeSVG(to: path)
                case .html: break
                case .tiff:
                    try writer.writeTIFF(to: path, options: RenderFiles.tiffOptions(output: s.output, dpi: s.canvas.dpi, title: title, source: source))
                }
            }
            files.append(path)
        }
        if request.layerFiles ?? s.output.layerFiles {
            files += try clock.time("layers") { try writer.writeLayers(base: base, options: options) }
        }
        return files
    }

    /// What the PNG and PDF record of where they came from: no local path, only the input's file name and hash.
    static func provenance(title: String, source: String, inputHash: String, style: Style, fingerprint: String,
                           paintingHash: String? = nil) -> [(key: String, value: String)] {
        [
            ("Title", title), ("Source", source), ("latentatlas:input-hash", inputHash),
            ("latentatlas:style", style.name), ("latentatlas:style-hash", style.hash),
            ("latentatlas:seed", String(style.seed)), ("latentatlas:fingerprint", fingerprint),
        ] + (paintingHash.map { [("latentatlas:painting-hash", $0)] } ?? [])
    }
}
