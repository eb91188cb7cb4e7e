import AtlasCore
import Graphics

/// Each region's own words typeset into its cell: lines that follow the cell's outline, large type
/// for big cells and a fine micrography for small ones. Planned once per render (Pango runs here
/// only, on one thread); the glyph outlines are then filled at latent and at output resolution.
public struct Lettering: Sendable {
    /// A word as the decoder paints it.
    public struct Word: Sendable, Equatable {
        public var text: String
        /// Highlight weight 0…1 (0 = not highlighted).
        public var weight: Double

        public init(text: String, weight: Double) {
            self.text = text
            self.weight = weight
        }
    }

    /// A word where it was painted: its logical box in output pixels (x, y, width, height; y down).
    public struct PlacedWord: Sendable, Equatable {
        public var region: Int
        public var text: String
        public var weight: Double
        public var box: SIMD4<Double>
    }

    /// One shape per distinct word, at the reference size.
    let outlines: [GlyphOutline]
    let placements: [GlyphMask.Placement]
    /// Parallel to `placements`.
    public let words: [PlacedWord]
    /// Type size per region in output pixels (0 = no words).
    public let sizes: [Double]

    static let referenceSize = 100.0

    struct Options {
        var family: String
        var weight: Int
        var minimumSize: Double
        var maximumSize: Double
        var padding: Double
        var lineHeight: Double
        var fill: Bool
    }

    /// Lays out `words[i]` inside `cells[i]` (convex polygons in output pixels).
    static func plan(words: [[Word]], cells: [[SIMD2<Double>]], options o: Options, threads: Int) throws -> Lettering {
        let typesetter = try Typesetter()
        let style = TextStyle(family: o.family, size: referenceSize, weight: o.weight, color: RGBColor(red: 0, green: 0, blue: 0))
        var index: [String: Int] = [:]
        var shapes: [GlyphOutline] = []
        func shape(_ text: String) -> Int {
            if let i = index[text] { return i }
            index[text] = shapes.count
            shapes.append(typesetter.outline(text, style: style))
            return shapes.count - 1
        }
        let separator = "·"
        let space = typesetter.advance("a a", style: style) - typesetter.advance("aa", style: style)
        let sequences: [[Int]] = words.map { $0.map { shape($0.text) } }
        let dot = shape(separator)
        let lineHeight = typesetter.layout("Ag", style: style).size.y * o.lineHeight
        let widths = shapes.map(\.size.x)

        let laid: [[Line]] = Parallel.map(cells.count, threads: threads) { r in
            guard !sequences[r].isEmpty, cells[r].count >= 3 else { return [] }
            let cell = Cell(cells[r])
            let fit = Fitter(cell: cell, widths: widths, space: space, lineHeight: lineHeight, padding: o.padding)
            return fit.best(sequences[r], separator: dot, minimum: o.minimumSize, maximum: o.maximumSize, fill: o.fill)
        }

        var placements: [GlyphMask.Placement] = []
        var placed: [PlacedWord] = []
        var sizes = [Double](repeating: 0, count: cells.count)
        for (r, lines) in laid.enumerated() {
            for line in lines {
                sizes[r] = line.size
                let scale = line.size / referenceSize
                for (k, item) in line.items.enumerated() {
                    let shapeIndex = item.shape
                    // Words of the text carry their highlight weight; the separator carries none.
                    let word = item.word.map { words[r][$0] }
                    let weight = word?.weight ?? 0
                    let origin = SIMD2(line.x[k], line.top)
                    placements.append(GlyphMask.Placement(outline: shapeIndex, origin: origin, scale: scale, value: weight))
                    placed.append(PlacedWord(region: r, text: word?.text ?? separator, weight: weight,
                                             box: SIMD4(origin.x, origin.y, widths[shapeIndex] * scale, lineHeight * scale)))
                }
            }
        }
        return Lettering(outlines: shapes, placements: placements, words: placed, sizes: sizes)
    }

    /// Ink and weighted coverage of `rect` on a canvas `zoom` × the output.
    func coverage(_ rect: PixelRect, zoom: Double) throws -> [SIMD2<Float>] {
        let lo = SIMD2(Double(rect.x), Double(rect.y)) / zoom, hi = SIMD2(Double(rect.maxX), Double(rect.maxY)) / zoom
        var candidates: [Int] = []
        for (i, w) in words.enumerated() {
            let b = w.box
            // Glyphs can reach a little past their logical box (italic overhang, descenders).
            let m = b.w * 0.3
            if b.x - m < hi.x, b.x + b.z + m > lo.x, b.y - m < hi.y, b.y + b.w + m > lo.y { candidates.append(i) }
        }
        return try GlyphMask.render(outlines, placements: placements, candidates: candidates, rect: rect, zoom: zoom)
    }

    // MARK: Fitting

    struct Item { var shape: Int; var word: Int? }

    struct Line {
        var size: Double
        var top: Double
        var items: [Item]
        var x: [Double]
    }

    /// A convex cell and the horizontal room it has at each height.
    struct Cell {
        let points: [SIMD2<Double>]
        let top: Double
        let bottom: Double

        init(_ points: [SIMD2<Double>]) {
            self.points = points
            top = points.map(\.y).min() ?? 0
            bottom = points.map(\.y).max() ?? 0
        }

        /// The cell's horizontal extent at height y.
        func extent(_ y: Double) -> (Double, Double)? {
            var lo = Double.infinity, hi = -Double.infinity
            for k in points.indices {
                let a = points[k], b = points[(k + 1) % points.count]
                guard (a.y <= y && b.y >= y) || (b.y <= y && a.y >= y) else { continue }
                let x = a.y == b.y ? min(a.x, b.x) : a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y)
                let x2 = a.y == b.y ? max(a.x, b.x) : x
                lo = min(lo, x); hi = max(hi, x2)
            }
            return lo <= hi ? (lo, hi) : nil
        }

        /// What lies inside the cell for every height of [y0, y1] (convexity: the two ends bound it).
        func span(_ y0: Double, _ y1: Double) -> (Double, Double)? {
            guard let a = extent(y0), let b = extent(y1) else { return nil }
            let lo = max(a.0, b.0), hi = min(a.1, b.1)
            return lo < hi ? (lo, hi) : nil
        }
    }

    struct Fitter {
        let cell: Cell
        let widths: [Double]
        let space: Double
        let lineHeight: Double
        let padding: Double

        /// The largest size in [minimum, maximum] at which the whole text fits; at the maximum, the
        /// rest of the cell is filled by repeating the text; below the minimum, what fits.
        func best(_ words: [Int], separator: Int, minimum: Double, maximum: Double, fill: Bool) -> [Line] {
            if let lines = lay(words, size: maximum, partial: false) {
                guard fill else { return lines }
                var repeated: [Item] = words.enumerated().map { Item(shape: $0.element, word: $0.offset) }
                while repeated.count < 4000 && repeated.count < words.count * 40 {
                    repeated.append(Item(shape: separator, word: nil))
                    repeated += words.enumerated().map { Item(shape: $0.element, word: $0.offset) }
                }
                return lay(items: repeated, size: maximum, partial: true, finalLineCentred: false) ?? lines
            }
            var lo = minimum, hi = maximum
            guard var bestLines = lay(words, size: lo, partial: false) else {
                return lay(words, size: minimum, partial: true) ?? []
            }
            for _ in 0..<14 {
                let mid = (lo * hi).squareRoot()
                if let lines = lay(words, size: mid, partial: false) { lo = mid; bestLines = lines } else { hi = mid }
                if hi / lo < 1.02 { break }
            }
            return centredVertically(bestLines)
        }

        func lay(_ words: [Int], size: Double, partial: Bool) -> [Line]? {
            lay(items: words.enumerated().map { Item(shape: $0.element, word: $0.offset) }, size: size, partial: partial,
                finalLineCentred: true)
        }

        /// Greedy line filling: each line takes the words that fit the cell's room at its height,
        /// justified when the stretch stays modest, centred otherwise.
        func lay(items: [Item], size: Double, partial: Bool, finalLineCentred: Bool) -> [Line]? {
            let scale = size / Lettering.referenceSize
            let lh = lineHeight * scale, pad = padding * size, gap = space * scale
            var lines: [Line] = []
            var k = 0
            var y = cell.top + pad
            while k < items.count, y + lh <= cell.bottom - pad {
                defer { y += lh }
                guard let (left, right) = cell.span(y, y + lh) else { continue }
                let room = right - left - 2 * pad
                guard room > 0 else { continue }
                var taken: [Item] = []
                var natural = 0.0
                while k < items.count {
                    let w = widths[items[k].shape] * scale
                    let need = taken.isEmpty ? w : natural + gap + w
                    guard need <= room else { break }
                    taken.append(items[k]); natural = need; k += 1
                }
                guard !taken.isEmpty else { continue }
                let last = k == items.count
                var xs: [Double] = []
                let extra = room - natural
                let stretch = taken.count > 1 ? extra / Double(taken.count - 1) : 0
                if !(last && finalLineCentred), taken.count > 1, stretch <= gap * 2.5 {
                    var x = left + pad
                    for item in taken { xs.append(x); x += widths[item.shape] * scale + gap + stretch }
                } else {
                    var x = left + pad + extra / 2
                    for item in taken { xs.append(x); x += widths[item.shape] * scale + gap }
                }
                lines.append(Line(size: size, top: y, items: taken, x: xs))
            }
            return k == items.count || partial ? lines : nil
        }

        /// Moves the block down by half the room left under it, when every line still fits there.
        func centredVertically(_ lines: [Line]) -> [Line] {
            guard let last = lines.last, let first = lines.first else { return lines }
            let lh = lineHeight * first.size / Lettering.referenceSize, pad = padding * first.size
            let shift = (cell.bottom - pad - (last.top + lh)) / 2
            guard shift > 0 else { return lines }
            var moved = lines
            for i in moved.indices {
                let l = moved[i]
                let start = l.x.first!, end = l.x.last! + widths[l.items.last!.shape] * l.size / Lettering.referenceSize
                guard let (left, right) = cell.span(l.top + shift, l.top + shift + lh),
                      left + pad <= start, end <= right - pad else {
                    // Re-centre this line horizontally in its new room, or give up the shift.
                    guard let (left, right) = cell.span(l.top + shift, l.top + shift + lh), end - start <= right - left - 2 * pad else {
                        return lines
                    }
                    let dx = (left + right) / 2 - (start + end) / 2
                    moved[i].x = l.x.map { $0 + dx }
                    moved[i].top += shift
                    continue
                }
                moved[i].top += shift
            }
            return moved
        }
    }
}
