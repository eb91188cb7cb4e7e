import AtlasCore
import Composite
import Foundation
import Graphics

/// Writes a composited atlas in each output format, every file atomically.
public struct AtlasWriter {
    public var raster: AtlasRaster
    public var dpi: Double
    /// Upper bound on the pixels of one band held in memory while streaming a PNG.
    public var bandPixels: Int

    public init(raster: AtlasRaster, dpi: Double, bandPixels: Int) {
        self.raster = raster
        self.dpi = dpi
        self.bandPixels = bandPixels
    }

    var page: Page { raster.plan.page }
    var layers: Set<Layer> { raster.compositor.style.layers }

    /// Rows per band so that the bands rendered at once fit the memory budget, and no band is
    /// larger than `fastestBandPixels`.
    var bandRows: Int {
        let pixels = min(bandPixels / max(1, raster.threads), Self.fastestBandPixels)
        return max(1, min(page.height, pixels / max(page.width, 1)))
    }

    /// Larger bands buy no speed: they fault in fresh pages for every band (glibc hands allocations
    /// past 32 MB straight to the kernel) and leave cores idle at the last band. 1 M pixels is 12 MB
    /// of float tile.
    public static let fastestBandPixels = 1 << 20

    /// Streams the page into a PNG band by band: memory stays at a few bands whatever the page size.
    /// `alsoBands`, when given, sees every band too, in order (the data browser's tile pyramid).
    public func writePNG(to path: String, options: PNGOptions, alsoBands: ((PixelRect, FloatImage) throws -> Void)? = nil) throws {
        try AtomicFile.write(to: path) { temp in
            var o = options
            o.threads = raster.threads
            let writer = try PNGWriter(path: temp, width: page.width, height: page.height, channels: 3, options: o)
            try raster.bands(rows: bandRows, layers: layers) { band, pixels in
                try PNGFile.writeRows(of: pixels, to: writer, threads: o.threads)
                try alsoBands?(band, pixels)
            }
            try writer.finish()
        }
    }

    /// Streams the page into an RGB TIFF band by band (8 or 16 bits a sample, per `options`).
    public func writeTIFF(to path: String, options: TIFFOptions) throws {
        try AtomicFile.write(to: path) { temp in
            let writer = try TIFFWriter(path: temp, width: page.width, height: page.height, options: options)
            try raster.bands(rows: bandRows, layers: layers) { _, pixels in try writer.write(pixels) }
            try writer.finish()
        }
    }

    /// A PDF page at the physical size: the raster layers embedded as one full-resolution image at
    /// the PNG's bit depth and compression, the vector layers and text as vectors on top, the sRGB
    /// profile as the image's colour space and the document's OutputIntent, and the page boxes:
    /// TrimBox (the trimmed page) inside BleedBox (the raster) inside MediaBox (the raster plus the
    /// slug holding the crop marks; see `Page.PDFMarks` and `PrintPDF`).
    public func writePDF(to path: String, options: PNGOptions) throws {
        let rasterLayers = pdfRasterLayers
        try AtomicFile.write(to: path) { temp in
            // Without a raster there is no update to carry the page boxes: the page is then the bare vectors.
            try drawDocument(to: temp, placeholder: !rasterLayers.isEmpty, slug: !rasterLayers.isEmpty, Surface.pdf)
            guard !rasterLayers.isEmpty else { return }
            try printPDF(options).update(temp) { stream in
                try raster.bands(rows: bandRows, layers: rasterLayers) { _, pixels in
                    try PNGFile.writeRows(of: pixels, bitDepth: options.bitDepth, threads: raster.threads) { rows, count, stride in
                        try stream.write(rows: rows, count: count, stride: stride)
                    }
                }
            }
        }
    }

    /// The PNG and the PDF from one pass over the bands: each band's painting is decoded once, its
    /// raster layers go to the PDF's image and, with the vectors over them, to the PNG. The files
    /// are byte for byte what `writePNG` and `writePDF` write one after the other.
    public func writePNGAndPDF(png pngPath: String, pdf pdfPath: String, options: PNGOptions,
                               alsoBands: ((PixelRect, FloatImage) throws -> Void)? = nil) throws {
        let rasterLayers = pdfRasterLayers
        // The stand-in marks of an undecoded painting are vectors in the PNG and raster in the PDF:
        // nothing to share (and no decode to save).
        guard !rasterLayers.isEmpty, raster.painting != nil || !layers.contains(.painting) else {
            try writePNG(to: pngPath, options: options, alsoBands: alsoBands)
            try writePDF(to: pdfPath, options: options)
            return
        }
        var o = options
        o.threads = raster.threads
        let depth = options.bitDepth
        try AtomicFile.write(to: pngPath) { pngTemp in
            try AtomicFile.write(to: pdfPath) { pdfTemp in
                try drawDocument(to: pdfTemp, placeholder: true, slug: true, Surface.pdf)
                let png = try PNGWriter(path: pngTemp, width: page.width, height: page.height, channels: 3, options: o)
                try printPDF(options).update(pdfTemp) { stream in
                    try raster.bandPairs(rows: bandRows, layers: layers, rasterOnly: { PNGFile.quantized($0, bitDepth: depth, threads: $1) }) {
                        band, rasterRows, finished in
                        try rasterRows.withUnsafeBytes { try stream.write(rows: $0.baseAddress!, count: band.height, stride: band.width * 3 * depth / 8) }
                        try PNGFile.writeRows(of: finished, to: png, threads: o.threads)
                        try alsoBands?(band, finished)
                    }
                }
                try png.finish()
            }
        }
    }

    /// The layers the PDF embeds as its image (the rest it draws as vectors).
    var pdfRasterLayers: Set<Layer> {
        layers.filter { !$0.isVector }.union(raster.painting == nil && layers.contains(.painting) ? [.painting] : [])
    }

    func printPDF(_ options: PNGOptions) -> PrintPDF {
        PrintPDF(widthPixels: page.width, heightPixels: page.height, bleedPixels: page.bleed, slugPixels: page.pdfMarks.slug, dpi: dpi,
                 bitDepth: options.bitDepth, level: options.compressionLevel, filter: options.filter, strategy: options.strategy,
                 threads: raster.threads, profile: options.srgb ? options.iccProfile : nil)
    }

    /// An SVG of the vector layers alone (edges, circle, typography, furniture), for retouching.
    public func writeSVG(to path: String) throws {
        try AtomicFile.write(to: path) { temp in try drawDocument(to: temp, placeholder: false, Surface.svg) }
    }

    /// A vector document at the physical page size (pixels / dpi), drawn in page pixel units; with
    /// `placeholder`, under the vectors a 2 × 2 image scaled to the page that `PrintPDF` replaces
    /// with the raster. With `slug` (the PDF), the page is the raster plus `page.pdfMarks.slug` on
    /// every side: the layers are clipped to the raster (the BleedBox) and the crop marks drawn in
    /// the slug, outside it.
    private func drawDocument(to path: String, placeholder: Bool, slug: Bool = false,
                              _ make: (_ path: String, _ widthPoints: Double, _ heightPoints: Double) throws -> Surface) throws {
        let scale = 72 / dpi
        let marks = page.pdfMarks, s = slug ? marks.slug : 0
        let surface = try make(path, (Double(page.width) + 2 * s) * scale, (Double(page.height) + 2 * s) * scale)
        let d = try Drawing(surface)
        d.scale(scale, scale)
        d.translate(s, s)
        let vectors = layers.filter(\.isVector).subtracting(slug ? [.furniture] : [])
        try d.withState {
            if slug {
                d.rectangle(x: 0, y: 0, width: Double(page.width), height: Double(page.height))
                d.clip()
            }
            if placeholder {
                let side = PrintPDF.placeholderSide
                let image = try Surface.image(width: side, height: side)
                image.withPixels { data, stride in
                    for y in 0..<side {
                        let row = data.advanced(by: y * stride).assumingMemoryBound(to: UInt32.self)
                        for x in 0..<side { row[x] = 0xff00_0000 | UInt32(x * 0x80) << 16 | UInt32(y * 0x80) << 8 }
                    }
                }
                d.withState {
                    d.scale(Double(page.width) / Double(side), Double(page.height) / Double(side))
                    d.setSource(image, smooth: false)
                    d.rectangle(x: 0, y: 0, width: Double(side), height: Double(side))
                    d.fill()
                }
            }
            try raster.compositor.drawVectors(raster.plan, layers: vectors, hasPainting: true, on: d)
        }
        if slug, layers.contains(.furniture), raster.compositor.style.print.cropMarks {
            raster.compositor.drawCropMarks(trim: page.sheet, offset: marks.offset, length: marks.length, lineWidth: marks.lineWidth, on: d)
        }
        try d.check("drawing \((path as NSString).lastPathComponent)")
        try surface.finish()
    }

    /// Each enabled layer alone as an RGBA PNG (`<base>.<layer>.png`): raster layers opaque,
    /// vector layers on transparency.
    public func writeLayers(base: String, options: PNGOptions) throws -> [String] {
        var written: [String] = []
        for layer in layers.sorted() {
            let path = "\(base).\(layer.rawValue).png"
            if layer.isVector {
                var rgba = options
                rgba.bitDepth = 8   // Cairo's vector layers are 8-bit
                try AtomicFile.write(to: path) { temp in
                    let writer = try PNGWriter(path: temp, width: page.width, height: page.height, channels: 4, options: rgba)
                    var y = 0
                    while y < page.height {
                        let band = PixelRect(x: 0, y: y, width: page.width, height: min(bandRows, page.height - y))
                        let image = try vectorLayer(layer, band: band)
                        try image.pixels.withUnsafeBytes { try writer.write(rows: $0.baseAddress!, count: band.height, stride: band.width * 4) }
                        y = band.maxY
                    }
                    try writer.finish()
                }
            } else {
                let rasterOnly = AtlasWriter(raster: raster.withLayers([layer]), dpi: dpi, bandPixels: bandPixels)
                try rasterOnly.writePNG(to: path, options: options)
            }
            written.append(path)
        }
        return written
    }

    func vectorLayer(_ layer: Layer, band: PixelRect) throws -> RGBAImage {
        var out = RGBAImage(width: band.width, height: band.height)
        try raster.drawVectors(band, layers: [layer], hasPainting: true) { part, surface, first in
            let img = surface.rgbaImage()
            for row in 0..<part.height {
                let src = (first + row) * part.width * 4, dst = ((part.y - band.y + row) * band.width + (part.x - band.x)) * 4
                out.pixels.replaceSubrange(dst..<(dst + part.width * 4), with: img.pixels[src..<(src + part.width * 4)])
            }
        }
        return out
    }
}

extension AtlasRaster {
    /// The same raster with only `layers` switched on.
    func withLayers(_ layers: Set<Layer>) -> AtlasRaster {
        var style = compositor.style
        style.layers = layers
        var copy = AtlasRaster(compositor: Compositor(style: style), plan: plan, painting: painting)
        copy.threads = threads
        return copy
    }
}
