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

    /// Rows per band so that the bands rendered at once fit the memory budget.
    var bandRows: Int {
        max(1, min(page.height, bandPixels / max(page.width, 1) / max(1, raster.threads)))
    }

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
    /// profile as the image's colour space and the document's OutputIntent, and TrimBox/BleedBox
    /// for the bleed (see `PrintPDF`).
    public func writePDF(to path: String, options: PNGOptions) throws {
        let rasterLayers = layers.filter { !$0.isVector }.union(raster.painting == nil && layers.contains(.painting) ? [.painting] : [])
        try AtomicFile.write(to: path) { temp in
            try drawDocument(to: temp, placeholder: !rasterLayers.isEmpty, Surface.pdf)
            guard !rasterLayers.isEmpty else { return }
            let update = PrintPDF(widthPixels: page.width, heightPixels: page.height, bleedPixels: page.bleed, dpi: dpi,
                                  bitDepth: options.bitDepth, level: options.compressionLevel, filter: options.filter,
                                  threads: raster.threads, profile: options.srgb ? options.iccProfile : nil)
            try update.update(temp) { stream in
                try raster.bands(rows: bandRows, layers: rasterLayers) { _, pixels in
                    try PNGFile.writeRows(of: pixels, bitDepth: options.bitDepth, threads: raster.threads) { rows, count, stride in
                        try stream.write(rows: rows, count: count, stride: stride)
                    }
                }
            }
        }
    }

    /// An SVG of the vector layers alone (edges, circle, typography, furniture), for retouching.
    public func writeSVG(to path: String) throws {
        try AtomicFile.write(to: path) { temp in try drawDocument(to: temp, placeholder: false, Surface.svg) }
    }

    /// A vector document at the physical page size (pixels / dpi), drawn in page pixel units; with
    /// `placeholder`, under the vectors a 2 × 2 image scaled to the page that `PrintPDF` replaces
    /// with the raster.
    private func drawDocument(to path: String, placeholder: Bool,
                              _ make: (_ path: String, _ widthPoints: Double, _ heightPoints: Double) throws -> Surface) throws {
        let scale = 72 / dpi
        let surface = try make(path, Double(page.width) * scale, Double(page.height) * scale)
        let d = try Drawing(surface)
        d.scale(scale, scale)
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
        try raster.compositor.drawVectors(raster.plan, layers: layers.filter(\.isVector), hasPainting: true, on: d)
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
        try raster.drawVectors(band, layers: [layer], hasPainting: true) { part, surface in
            let img = surface.rgbaImage()
            for row in 0..<part.height {
                let src = row * part.width * 4, dst = (row * band.width + (part.x - band.x)) * 4
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
