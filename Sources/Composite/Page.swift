import AtlasCore

/// Page geometry: the raster (trim plus bleed), and where the atlas disc — and in a diptych the
/// heatmap disc beside it — sits. Unit-disc layout coordinates map into these discs. A pair is two
/// single pages side by side on one sheet sharing the bleed (`Page.pair`): each half is a `Page`
/// whose trim is its half and whose `sheet` is the whole trimmed sheet.
public struct Page: Sendable, Equatable {
    public struct Disc: Sendable, Equatable {
        public var center: SIMD2<Double>
        public var radius: Double

        /// A unit-disc position (y up) to page coordinates (y down).
        public func point(_ p: SIMD2<Double>) -> SIMD2<Double> { center + SIMD2(p.x, -p.y) * radius }
    }

    /// Raster size including bleed, in pixels.
    public var width: Int
    public var height: Int
    /// Bleed on every side, in pixels.
    public var bleed: Double
    /// The trimmed page inside the bleed.
    public var trim: (x: Double, y: Double, width: Double, height: Double)
    public var atlas: Disc
    /// The heatmap's own panel in a diptych.
    public var heatmapPanel: Disc?
    /// The whole trimmed sheet (crop marks go at its corners): the trim, except for a pair's halves.
    public var sheet: (x: Double, y: Double, width: Double, height: Double)
    /// The PDF page around the raster: its slug and crop marks.
    public var pdfMarks: PDFMarks

    /// The PDF page is the raster (its BleedBox: trim plus bleed) with a slug on every side when
    /// there is bleed or crop marks (its MediaBox); the crop marks sit in the slug, outside the
    /// bleed, so a trim that misses by less than the bleed never shows them. In pixels.
    public struct PDFMarks: Sendable, Equatable {
        /// Width of the slug on each side, beyond the bleed (0: the MediaBox is the raster).
        public var slug: Double
        /// Where a crop mark starts, from the trim (the bleed plus 2 mm), and its length (6 mm).
        public var offset: Double
        public var length: Double
        /// 0.25 pt, the usual hairline of crop marks.
        public var lineWidth: Double
    }

    public init(canvas: CanvasSettings, composition: Composition = .single, bleedMillimetres: Double = 0, cropMarks: Bool = false) {
        let b = (bleedMillimetres / 25.4 * canvas.dpi).rounded()
        bleed = b
        let mm = canvas.dpi / 25.4
        let gap = (2 * mm).rounded(), length = (6 * mm).rounded()
        // Past the marks, 2 mm more of slug.
        pdfMarks = PDFMarks(slug: b > 0 || cropMarks ? gap + length + gap : 0, offset: b + gap, length: length,
                            lineWidth: 0.25 / 72 * canvas.dpi)
        width = canvas.width + 2 * Int(b)
        height = canvas.height + 2 * Int(b)
        let w = Double(canvas.width), h = Double(canvas.height)
        trim = (b, b, w, h)
        sheet = trim
        switch composition {
        case .single:
            let short = min(w, h)
            atlas = Disc(center: SIMD2(b + w / 2, b + h / 2), radius: short / 2 - canvas.margin * short)
            heatmapPanel = nil
        case .diptych:
            let short = min(w / 2, h)
            let r = short / 2 - canvas.margin * short
            heatmapPanel = Disc(center: SIMD2(b + w / 4, b + h / 2), radius: r)
            atlas = Disc(center: SIMD2(b + 3 * w / 4, b + h / 2), radius: r)
        case .pair:
            self = Self.pair(canvas: canvas, bleedMillimetres: bleedMillimetres, cropMarks: cropMarks).left
        }
    }

    /// Two atlases side by side: each half is the single page of `canvas` (so each atlas is as large
    /// as it would be alone), the right one shifted by the canvas width; the sheet is twice as wide.
    public static func pair(canvas: CanvasSettings, bleedMillimetres: Double = 0, cropMarks: Bool = false) -> (left: Page, right: Page) {
        var left = Page(canvas: canvas, composition: .single, bleedMillimetres: bleedMillimetres, cropMarks: cropMarks)
        let w = Double(canvas.width)
        left.width += canvas.width
        left.sheet = (left.trim.x, left.trim.y, 2 * w, left.trim.height)
        var right = left
        right.trim.x += w
        right.atlas.center.x += w
        return (left, right)
    }

    /// The trimmed page's short side: text and line sizes are fractions of it.
    public var shortSide: Double { min(trim.width, trim.height) }

    public static func == (a: Page, b: Page) -> Bool {
        a.width == b.width && a.height == b.height && a.bleed == b.bleed && a.pdfMarks == b.pdfMarks && a.atlas == b.atlas && a.heatmapPanel == b.heatmapPanel
    }
}
