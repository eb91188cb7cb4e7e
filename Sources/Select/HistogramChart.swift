import AtlasCore
import Foundation
import Graphics

/// Draws a selection's histogram with the style's palette and font: every score in the palette's
/// first colour, the selected tail in the highlight colour (bars, a shaded band and a rug of the
/// selected scores), the threshold marked and labelled, the fitted normal curve, and mean, σ and
/// the threshold's z-score typeset.
public struct HistogramChart {
    public var histogram: Histogram
    public var record: SelectionRecord
    public var title: String
    public var topScores: [Float]
    public var palette: Palette
    public var family: String
    public var width: Int
    public var height: Int

    public init(histogram: Histogram, record: SelectionRecord, title: String, topScores: [Float], palette: Palette, family: String,
                width: Int, height: Int) {
        self.histogram = histogram; self.record = record; self.title = title; self.topScores = topScores
        self.palette = palette; self.family = family; self.width = width; self.height = height
    }

    public func draw() throws -> Surface {
        let surface = try Surface.image(width: width, height: height)
        let d = try Drawing(surface)
        let type = try Typesetter()
        let W = Double(width), H = Double(height)
        let u = min(W / 16, H / 9) / 10 // a tenth of a 16:9 unit (10 px on the default 1600 × 900)
        let ink = palette.ink, accent = palette.highlight
        let bar = palette.colors.first ?? ink
        d.setColor(palette.background)
        d.paint()

        // Text: title, what was scanned, and the statistics.
        let titleLayout = type.layout(title, style: TextStyle(family: family, size: 3.4 * u, weight: 600, color: ink))
        d.draw(titleLayout, at: SIMD2(7 * u, 4 * u))
        let scanned = "cosine similarity with \(record.direction) · \(Self.grouped(record.rows - record.skippedRows)) of \(Self.grouped(record.rows)) rows × \(record.dimension) (\(record.dtype))"
        let sub = type.layout(scanned, style: TextStyle(family: family, size: 2.0 * u, color: Self.faded(ink, 0.7)), width: W - 14 * u)
        d.draw(sub, at: SIMD2(7 * u, 4 * u + titleLayout.size.y + 0.6 * u))

        let left = 10 * u, right = W - 4 * u
        let top = 4 * u + titleLayout.size.y + sub.size.y + 5 * u, bottom = H - 9 * u
        let h = histogram
        let xs = Self.ticks(h.lower, h.upper, count: 7)
        let lo = min(h.lower, xs.first ?? h.lower), hi = max(h.upper, xs.last ?? h.upper)
        let maxCount = Double(h.counts.max() ?? 1)
        let ys = Self.ticks(0, maxCount * 1.08, count: 5)
        let yTop = max(maxCount * 1.08, ys.last ?? 1)
        func x(_ v: Double) -> Double { left + (v - lo) / (hi - lo) * (right - left) }
        func y(_ c: Double) -> Double { bottom - c / yTop * (bottom - top) }
        let threshold = record.threshold

        // The selected tail's band.
        d.setColor(accent, opacity: 0.10)
        d.rectangle(x: x(threshold), y: top, width: max(0, right - x(threshold)), height: bottom - top)
        d.fill()

        // Bars: each bin's count, its selected part on top in the highlight colour.
        let gap = min(0.12 * (x(h.lower + h.width) - x(h.lower)), 1.0)
        for (i, c) in h.counts.enumerated() where c > 0 {
            let x0 = x(h.lower + Double(i) * h.width) + gap / 2, x1 = x(h.lower + Double(i + 1) * h.width) - gap / 2
            let rest = c - h.selected[i]
            d.setColor(bar)
            d.rectangle(x: x0, y: y(Double(rest)), width: x1 - x0, height: bottom - y(Double(rest)))
            d.fill()
            if h.selected[i] > 0 {
                d.setColor(accent)
                // At least a hairline, so a tail of a few hundred among a million still shows.
                let top = min(y(Double(c)), y(Double(rest)) - 0.35 * u)
                d.rectangle(x: x0, y: top, width: x1 - x0, height: y(Double(rest)) - top)
                d.fill()
            }
        }

        // The normal curve with the scores' mean and σ, scaled to the bins.
        if record.std > 0 {
            d.newPath()
            let steps = 400
            for s in 0...steps {
                let v = lo + (hi - lo) * Double(s) / Double(steps)
                let z = (v - record.mean) / record.std
                let density = Double(h.total) * h.width * exp(-0.5 * z * z) / (record.std * (2 * Double.pi).squareRoot())
                let p = SIMD2(x(v), y(min(density, yTop)))
                s == 0 ? d.move(to: p) : d.line(to: p)
            }
            d.setColor(ink, opacity: 0.55)
            d.setLineWidth(0.22 * u)
            d.stroke()
        }

        // Axes, ticks and labels.
        let label = TextStyle(family: family, size: 1.8 * u, color: Self.faded(ink, 0.8))
        d.setColor(ink)
        d.setLineWidth(0.15 * u)
        d.newPath()
        d.move(to: SIMD2(left, bottom)); d.line(to: SIMD2(right, bottom))
        d.stroke()
        let xDecimals = Self.decimals(step: xs.count > 1 ? xs[1] - xs[0] : 1)
        for v in xs {
            d.newPath(); d.move(to: SIMD2(x(v), bottom)); d.line(to: SIMD2(x(v), bottom + 0.8 * u)); d.stroke()
            let t = type.layout(String(format: "%.\(xDecimals)f", v), style: label)
            d.draw(t, at: SIMD2(x(v) - t.size.x / 2, bottom + 3.2 * u))
        }
        for c in ys where c > 0 {
            d.setColor(ink, opacity: 0.12)
            d.newPath(); d.move(to: SIMD2(left, y(c))); d.line(to: SIMD2(right, y(c))); d.stroke()
            let t = type.layout(Self.grouped(Int(c)), style: label)
            d.draw(t, at: SIMD2(left - 1.2 * u - t.size.x, y(c) - t.size.y / 2))
        }
        let axis = type.layout("score (cosine similarity)", style: label)
        d.draw(axis, at: SIMD2((left + right - axis.size.x) / 2, bottom + 5.6 * u))

        // A rug of the selected scores under the axis.
        d.setColor(accent)
        d.setLineWidth(0.12 * u)
        d.newPath()
        for s in topScores {
            d.move(to: SIMD2(x(Double(s)), bottom + 0.3 * u)); d.line(to: SIMD2(x(Double(s)), bottom + 2.2 * u))
        }
        d.stroke()

        // The threshold, marked and labelled.
        d.setColor(accent)
        d.setLineWidth(0.3 * u)
        d.newPath(); d.move(to: SIMD2(x(threshold), top - 1 * u)); d.line(to: SIMD2(x(threshold), bottom)); d.stroke()
        let mark = type.layout("top \(Self.grouped(record.top)) ≥ \(String(format: "%.4f", threshold))",
                               style: TextStyle(family: family, size: 2.0 * u, weight: 600, color: accent))
        let markX = min(x(threshold) + 1 * u, right - mark.size.x)
        d.draw(mark, at: SIMD2(markX, top - 1 * u))

        // Mean, σ and the threshold's z-score, typeset at the upper left of the plot.
        let stats = """
        mean \(String(format: "%.4f", record.mean))   σ \(String(format: "%.4f", record.std))
        threshold z = \(String(format: "%.2f", record.thresholdZ))   (mean + \(String(format: "%.2f", record.thresholdZ)) σ)
        top score \(String(format: "%.4f", record.topScore))
        """
        let block = type.layout(stats, style: TextStyle(family: family, size: 2.0 * u, color: ink))
        d.draw(block, at: SIMD2(left + 2 * u, top + 1 * u))
        try d.check("drawing the histogram")
        return surface
    }

    /// Draws and writes the PNG (atomically). The page is opaque, so Cairo's BGRA rows become RGB
    /// rows directly (no un-premultiplying), streamed to libpng at a fast compression level.
    public func write(to path: String) throws {
        let surface = try draw()
        try AtomicFile.write(to: path) { temp in
            let options = PNGOptions(compressionLevel: 1, filter: .up, srgb: true,
                                     text: [("Software", "\(ToolVersion.name) \(ToolVersion.current)"), ("Title", title)])
            let writer = try PNGWriter(path: temp, width: width, height: height, channels: 3, options: options)
            var rgb = [UInt8](repeating: 0, count: width * 3 * 64)
            try surface.withPixels { data, stride in
                var y = 0
                while y < height {
                    let n = min(64, height - y)
                    for r in 0..<n {
                        let row = data.advanced(by: (y + r) * stride).assumingMemoryBound(to: UInt32.self)
                        let o = r * width * 3
                        for x in 0..<width {
                            let p = row[x]
                            rgb[o + 3 * x] = UInt8(truncatingIfNeeded: p >> 16)
                            rgb[o + 3 * x + 1] = UInt8(truncatingIfNeeded: p >> 8)
                            rgb[o + 3 * x + 2] = UInt8(truncatingIfNeeded: p)
                        }
                    }
                    try rgb.withUnsafeBytes { try writer.write(rows: $0.baseAddress!, count: n, stride: width * 3) }
                    y += n
                }
            }
            try writer.finish()
        }
    }

    static func faded(_ c: RGBColor, _ alpha: Double) -> RGBColor { RGBColor(red: c.red, green: c.green, blue: c.blue, alpha: c.alpha * alpha) }

    /// About `count` round tick values covering lo…hi.
    static func ticks(_ lo: Double, _ hi: Double, count: Int) -> [Double] {
        guard hi > lo else { return [lo] }
        let raw = (hi - lo) / Double(count)
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var v = (lo / step).rounded(.down) * step
        var out: [Double] = []
        while v <= hi + step * 1e-9 { if v >= lo - step * 1e-9 { out.append(v) }; v += step }
        return out
    }

    static func decimals(step: Double) -> Int { max(0, min(6, Int((-log10(step)).rounded(.up)) + (step.truncatingRemainder(dividingBy: pow(10, (log10(step)).rounded(.down))) != 0 ? 1 : 0))) }

    /// 600000 → "600 000" (thin spaces).
    static func grouped(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0, (s.count - i) % 3 == 0 { out += "\u{2009}" }
            out.append(c)
        }
        return (n < 0 ? "−" : "") + out
    }
}
