import AtlasCore
import Foundation
import Graphics

/// A PNG grid of poster thumbnails, each captioned with its latent id. Long galleries go on several
/// sheets (`contact-sheet-1.png`, …) so none exceeds Cairo's raster limit.
public struct ContactSheet: Sendable {
    public var columns: Int
    /// Thumbnail side in pixels.
    public var thumbnail: Int
    public var rowsPerSheet: Int

    public init(columns: Int = 8, thumbnail: Int = 256, rowsPerSheet: Int = 64) {
        self.columns = max(1, columns)
        self.thumbnail = max(16, thumbnail)
        self.rowsPerSheet = max(1, rowsPerSheet)
    }

    var gap: Int { max(4, thumbnail / 16) }
    var captionHeight: Int { max(12, thumbnail / 7) }

    /// Folder (inside the index folder) of one thumbnail per poster, for `index.html`.
    public static let thumbnailFolder = "thumbnails"

    /// Where a poster's own thumbnail goes, relative to the index folder.
    public static func thumbnailFile(_ poster: GalleryIndex.Poster) -> String {
        thumbnailFolder + "/" + (poster.manifestFile as NSString).deletingPathExtension + ".png"
    }

    /// Writes the sheets into `folder`, and each poster's thumbnail alone (`thumbnails/<name>.png`,
    /// scaled in the same step); none when there are no posters.
    public func write(_ posters: [GalleryIndex.Poster], in folder: String) throws -> [String] {
        let perSheet = columns * rowsPerSheet
        let pages = stride(from: 0, to: posters.count, by: perSheet).map { Array(posters[$0..<min($0 + perSheet, posters.count)]) }
        var written: [String] = []
        for (n, page) in pages.enumerated() {
            let name = pages.count == 1 ? "contact-sheet.png" : "contact-sheet-\(n + 1).png"
            let path = (folder as NSString).appendingPathComponent(name)
            let image = try draw(page, from: folder)
            try AtomicFile.write(to: path) { temp in
                try PNGFile.write(image, to: temp, options: PNGOptions(compressionLevel: 6, srgb: true,
                                                                      text: [("Software", "\(ToolVersion.name) \(ToolVersion.current)")]))
            }
            written.append(path)
        }
        return written
    }

    /// One poster's thumbnail on its own, the same scaling as on the sheet.
    func writeThumbnail(_ source: Surface, width: Int, height: Int, scale: Double, to path: String) throws {
        let w = max(1, Int((Double(width) * scale).rounded())), h = max(1, Int((Double(height) * scale).rounded()))
        let surface = try Surface.image(width: w, height: h)
        let drawing = try Drawing(surface)
        drawing.setSource(source, x: 0, y: 0, scale: scale)
        drawing.rectangle(x: 0, y: 0, width: Double(w), height: Double(h))
        drawing.fill()
        try drawing.check("drawing a thumbnail")
        let image = surface.rgbaImage()
        try AtomicFile.write(to: path) { temp in
            try PNGFile.write(image, to: temp, options: PNGOptions(compressionLevel: 6, srgb: true))
        }
    }

    /// Draws one sheet: thumbnails scaled to fit their cell, centred, captions below.
    func draw(_ posters: [GalleryIndex.Poster], from folder: String) throws -> RGBAImage {
        let cellWidth = thumbnail + gap, cellHeight = thumbnail + captionHeight + gap
        let cols = min(columns, posters.count)
        let rows = (posters.count + cols - 1) / cols
        let surface = try Surface.image(width: cols * cellWidth + gap, height: rows * cellHeight + gap)
        let drawing = try Drawing(surface)
        let typesetter = try Typesetter()
        let paper = RGBColor(red: 0.96, green: 0.95, blue: 0.93), ink = RGBColor(red: 0.11, green: 0.11, blue: 0.1)
        drawing.setColor(paper)
        drawing.paint()
        let caption = TextStyle(family: "Inter", size: Double(captionHeight) * 0.5, weight: 500, color: ink)
        for (i, poster) in posters.enumerated() {
            let x = Double(gap + (i % cols) * cellWidth), y = Double(gap + (i / cols) * cellHeight)
            if let image = poster.image {
                let pixels = try PNGFile.read((folder as NSString).appendingPathComponent(image)).image
                let scale = Double(thumbnail) / Double(max(pixels.width, pixels.height))
                let source = try Surface.image(pixels)
                try writeThumbnail(source, width: pixels.width, height: pixels.height, scale: scale,
                                   to: (folder as NSString).appendingPathComponent(Self.thumbnailFile(poster)))
                drawing.withState {
                    let dx = x + (Double(thumbnail) - Double(pixels.width) * scale) / 2
                    let dy = y + (Double(thumbnail) - Double(pixels.height) * scale) / 2
                    drawing.setSource(source, x: dx, y: dy, scale: scale)
                    drawing.rectangle(x: dx, y: dy, width: Double(pixels.width) * scale, height: Double(pixels.height) * scale)
                    drawing.fill()
                }
            }
            // One line under the thumbnail: long ids are set smaller rather than wrapped into the next row.
            var label = typesetter.layout(poster.latent, style: caption)
            if label.size.x > Double(thumbnail) {
                var smaller = caption
                smaller.size *= Double(thumbnail) / label.size.x
                label = typesetter.layout(poster.latent, style: smaller)
            }
            drawing.draw(label, at: SIMD2(x + (Double(thumbnail) - label.size.x) / 2, y + Double(thumbnail) + Double(captionHeight) * 0.15))
        }
        try drawing.check("drawing the contact sheet")
        return surface.rgbaImage()
    }
}
