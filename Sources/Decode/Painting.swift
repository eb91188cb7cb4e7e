import AtlasCore

/// The result of the diffusion: the final latent canvas plus what is needed to decode it. Decoding
/// is a pure function of the output rectangle, so tiles can be rendered in any order, on any
/// thread, and streamed for canvases too big to hold.
public struct Painting: Sendable {
    /// Output size in pixels.
    public let width: Int
    public let height: Int
    /// Time spent painting (up to this point, for a preview).
    public let timings: DecodeTimings

    let latent: [SIMD4<Float>]
    let latentWidth: Int
    let latentHeight: Int
    let context: Context
    let decoding: Decoding
    let threads: Int

    init(width: Int, height: Int, latent: [SIMD4<Float>], latentWidth: Int, latentHeight: Int, context: Context,
         decoding: Decoding, threads: Int, timings: DecodeTimings) {
        self.width = width
        self.height = height
        self.latent = latent
        self.latentWidth = latentWidth
        self.latentHeight = latentHeight
        self.context = context
        self.decoding = decoding
        self.threads = threads
        self.timings = timings
    }

    /// What the painting was made of, kept for the print-resolution decode.
    struct Context: Sendable {
        let cells: LatentCells
        /// Letter coverage at latent resolution (ink, highlight × weight).
        let letters: [SIMD2<Float>]
        let lettering: Lettering
        /// Per window.
        let looks: [RegionLook]
        /// Per visible cell, its window or −1.
        let windowOfCell: [Int32]
        let discCenter: SIMD2<Double>
        let discRadius: Double
        /// Latent pixels per output pixel.
        let zoom: Double
        /// Per visible cell, the index of its region in the caller's list.
        let regionOfCell: [Int]
    }

    /// The words as painted: each region's words (index into the caller's regions), with their
    /// highlight weight and logical boxes in output pixels.
    public var words: [Lettering.PlacedWord] {
        context.lettering.words.map { w in
            var w = w
            w.region = context.regionOfCell[w.region]
            return w
        }
    }

    /// Decode-time constants: highlight colour, procedural detail and the sRGB encoder.
    struct Decoding: Sendable {
        let highlight: SIMD3<Float>
        let background: SIMD3<Float>
        let highlightStrength: Float
        let detail: PrintDetail
        let encoder = SRGBEncoder()

        init(palette: Palette, settings: DecodeSettings, seed: UInt64) {
            let lab = palette.highlight.oklab
            highlight = SIMD3(Float(lab.x), Float(lab.y), Float(lab.z))
            let bg = palette.background.oklab
            background = SIMD3(Float(bg.x), Float(bg.y), Float(bg.z))
            highlightStrength = Float(settings.highlightStrength)
            detail = PrintDetail(strength: settings.detail, seed: seed)
        }
    }

    /// Output pixels of `rect` (non-empty; may reach past the output, which extends the edge).
    /// Catmull-Rom upsampling of the latent, done separably (a vertical pass into a line of latent
    /// texels, then a horizontal pass); the letters are lifted to print resolution by their glyph
    /// outlines rasterised for this rectangle at full resolution: the difference between the sharp
    /// and the latent-resolution coverage is added in the region's own ink, so letter edges are
    /// crisp at any print size. Then the highlight colour, grain, the disc's rim and sRGB.
    public func render(_ rect: PixelRect) -> FloatImage {
        precondition(!rect.isEmpty, "Painting.render needs a non-empty rectangle")
        var image = FloatImage(width: rect.width, height: rect.height)
        let sharp = (try? context.lettering.coverage(rect, zoom: 1))
            ?? [SIMD2<Float>](repeating: .zero, count: rect.width * rect.height)
        let scaleX = Float(latentWidth) / Float(width), scaleY = Float(latentHeight) / Float(height)
        let columns = (0..<rect.width).map { Tap(position: (Float(rect.x + $0) + 0.5) * scaleX - 0.5) }
        let first = columns[0].index - 1, last = columns[rect.width - 1].index + 2
        let span = last - first + 1
        // Per latent column of this row: the vertically interpolated texel, its vertical slope and the letters.
        var line = [SIMD4<Float>](repeating: .zero, count: 2 * span)
        var letterLine = [SIMD2<Float>](repeating: .zero, count: span)
        let d = decoding
        let ctx = context
        let cx = Float(ctx.discCenter.x), cy = Float(ctx.discCenter.y), radius = Float(ctx.discRadius)
        latent.withUnsafeBufferPointer { latent in
        ctx.letters.withUnsafeBufferPointer { letters in
        sharp.withUnsafeBufferPointer { sharp in
            line.withUnsafeMutableBufferPointer { line in
            letterLine.withUnsafeMutableBufferPointer { letterLine in
                image.values.withUnsafeMutableBufferPointer { out in
                    for row in 0..<rect.height {
                        let py = Float(rect.y + row) + 0.5
                        let tap = Tap(position: py * scaleY - 0.5)
                        var rows = SIMD4<Int>.zero
                        for j in 0..<4 { rows[j] = min(max(tap.index - 1 + j, 0), latentHeight - 1) * latentWidth }
                        let nearestRow = min(max(Int(py * scaleY), 0), latentHeight - 1) * latentWidth
                        for c in 0..<span {
                            let lx = min(max(first + c, 0), latentWidth - 1)
                            let t0 = latent[rows[0] + lx], t1 = latent[rows[1] + lx]
                            let t2 = latent[rows[2] + lx], t3 = latent[rows[3] + lx]
                            line[c] = Tap.sum(t0, t1, t2, t3, tap.weights)
                            line[span + c] = Tap.sum(t0, t1, t2, t3, tap.slopes)
                            letterLine[c] = Tap.sum(letters[rows[0] + lx], letters[rows[1] + lx], letters[rows[2] + lx],
                                                    letters[rows[3] + lx], tap.weights)
                        }
                        for col in 0..<rect.width {
                            let h = columns[col]
                            let b = h.index - 1 - first
                            let l0 = line[b], l1 = line[b + 1], l2 = line[b + 2], l3 = line[b + 3]
                            let texel = Tap.sum(l0, l1, l2, l3, h.weights)
                            let dx = Tap.sum(l0, l1, l2, l3, h.slopes)
                            let dy = Tap.sum(line[span + b], line[span + b + 1], line[span + b + 2], line[span + b + 3], h.weights)
                            let soft = Tap.sum(letterLine[b], letterLine[b + 1], letterLine[b + 2], letterLine[b + 3], h.weights)
                            let px = Float(rect.x + col) + 0.5
                            var lab = LatentColor.oklab(texel)
                            var amount = LatentColor.highlight(texel)
                            let crisp = sharp[row * rect.width + col]
                            let lx = min(max(Int(px * scaleX), 0), latentWidth - 1)
                            let cell = ctx.cells.owner[nearestRow + lx]
                            if cell >= 0 {
                                let w = Int(ctx.windowOfCell[Int(cell)])
                                if w >= 0 {
                                    let look = ctx.looks[w]
                                    lab += (look.inkLab - look.paperLab) * (crisp.x - soft.x)
                                    amount = min(max(amount + (crisp.y - soft.y) * d.highlightStrength, 0), 1)
                                }
                            }
                            lab += (d.highlight - lab) * amount
                            lab = d.detail.apply(lab, texel: texel, gx: dx.x, gy: dy.x, px: px, py: py)
                            // Nothing outside the disc: its rim antialiased over one output pixel.
                            let ex = px - cx, ey = py - cy
                            let inside = min(max(radius - (ex * ex + ey * ey).squareRoot() + 0.5, 0), 1)
                            if inside < 1 { lab = d.background + (lab - d.background) * inside }
                            let rgb = d.encoder.srgb(lab)
                            let o = (row * rect.width + col) * 3
                            out[o] = rgb.x; out[o + 1] = rgb.y; out[o + 2] = rgb.z
                        }
                    }
                }
            }
            }
        }
        }
        }
        return image
    }

    /// The whole output, decoded in row bands in parallel.
    public func image() -> FloatImage {
        var image = FloatImage(width: width, height: height)
        let band = 32
        let bands = (height + band - 1) / band
        image.values.withUnsafeMutableBufferPointer { out in
            Parallel.forEach(bands, threads: threads) { b in
                let rect = PixelRect(x: 0, y: b * band, width: width, height: min(band, height - b * band))
                let tile = render(rect)
                tile.values.withUnsafeBufferPointer { src in
                    let start = rect.y * width * 3
                    for i in 0..<src.count { out[start + i] = src[i] }
                }
            }
        }
        return image
    }

    /// Catmull-Rom taps for one output coordinate: the latent index left of it, four weights and
    /// the four weights of the slope (per latent pixel).
    private struct Tap {
        let index: Int
        let weights: SIMD4<Float>
        let slopes: SIMD4<Float>

        init(position: Float) {
            let floor = position.rounded(.down)
            index = Int(floor)
            let f = position - floor, f2 = f * f, f3 = f2 * f
            weights = SIMD4(-0.5 * f3 + f2 - 0.5 * f, 1.5 * f3 - 2.5 * f2 + 1,
                            -1.5 * f3 + 2 * f2 + 0.5 * f, 0.5 * f3 - 0.5 * f2)
            slopes = SIMD4(-1.5 * f2 + 2 * f - 0.5, 4.5 * f2 - 5 * f, -4.5 * f2 + 4 * f + 0.5, 1.5 * f2 - f)
        }

        /// The four taps `a…d` weighted by `w`, summed in order (the same rounding in every pass).
        @inline(__always)
        static func sum<V: SIMD>(_ a: V, _ b: V, _ c: V, _ d: V, _ w: SIMD4<Float>) -> V where V.Scalar == Float {
            var v = a * w[0]
            v += b * w[1]
            v += c * w[2]
            v += d * w[3]
            return v
        }
    }
}
