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
    let decoding: Decoding
    let threads: Int

    init(width: Int, height: Int, latent: [SIMD4<Float>], latentWidth: Int, latentHeight: Int,
         decoding: Decoding, threads: Int, timings: DecodeTimings) {
        self.width = width
        self.height = height
        self.latent = latent
        self.latentWidth = latentWidth
        self.latentHeight = latentHeight
        self.decoding = decoding
        self.threads = threads
        self.timings = timings
    }

    /// Decode-time constants: highlight colour, procedural detail and the sRGB encoder.
    struct Decoding: Sendable {
        let highlight: SIMD3<Float>
        let detail: PrintDetail
        let encoder = SRGBEncoder()

        init(palette: Palette, settings: DecodeSettings, seed: UInt64) {
            let lab = palette.highlight.oklab
            highlight = SIMD3(Float(lab.x), Float(lab.y), Float(lab.z))
            detail = PrintDetail(strength: settings.detail, seed: seed)
        }
    }

    /// Output pixels of `rect` (non-empty; may reach past the output, which extends the edge).
    /// Catmull-Rom upsampling of the latent, done separably (a vertical pass into a line of latent
    /// texels, then a horizontal pass), with ragged edges, print-resolution detail, the highlight
    /// colour and sRGB.
    public func render(_ rect: PixelRect) -> FloatImage {
        precondition(!rect.isEmpty, "Painting.render needs a non-empty rectangle")
        var image = FloatImage(width: rect.width, height: rect.height)
        let scaleX = Float(latentWidth) / Float(width), scaleY = Float(latentHeight) / Float(height)
        let columns = (0..<rect.width).map { Tap(position: (Float(rect.x + $0) + 0.5) * scaleX - 0.5) }
        let first = columns[0].index - 1, last = columns[rect.width - 1].index + 2
        // Two latent lines per output row: the vertically interpolated values and their vertical slope.
        var line = [SIMD4<Float>](repeating: .zero, count: 2 * (last - first + 1))
        let span = last - first + 1
        let d = decoding
        latent.withUnsafeBufferPointer { latent in
            line.withUnsafeMutableBufferPointer { line in
                image.values.withUnsafeMutableBufferPointer { out in
                    for row in 0..<rect.height {
                        let py = Float(rect.y + row) + 0.5
                        let tap = Tap(position: py * scaleY - 0.5)
                        var rows = SIMD4<Int>.zero
                        for j in 0..<4 { rows[j] = min(max(tap.index - 1 + j, 0), latentHeight - 1) * latentWidth }
                        for c in 0..<span {
                            let lx = min(max(first + c, 0), latentWidth - 1)
                            let t0 = latent[rows[0] + lx], t1 = latent[rows[1] + lx]
                            let t2 = latent[rows[2] + lx], t3 = latent[rows[3] + lx]
                            var v = t0 * tap.weights[0]
                            v += t1 * tap.weights[1]
                            v += t2 * tap.weights[2]
                            v += t3 * tap.weights[3]
                            var slope = t0 * tap.slopes[0]
                            slope += t1 * tap.slopes[1]
                            slope += t2 * tap.slopes[2]
                            slope += t3 * tap.slopes[3]
                            line[c] = v
                            line[span + c] = slope
                        }
                        for col in 0..<rect.width {
                            let h = columns[col]
                            let b = h.index - 1 - first
                            let l0 = line[b], l1 = line[b + 1], l2 = line[b + 2], l3 = line[b + 3]
                            var texel = l0 * h.weights[0]
                            texel += l1 * h.weights[1]
                            texel += l2 * h.weights[2]
                            texel += l3 * h.weights[3]
                            var dx = l0 * h.slopes[0]
                            dx += l1 * h.slopes[1]
                            dx += l2 * h.slopes[2]
                            dx += l3 * h.slopes[3]
                            var dy = line[span + b] * h.weights[0]
                            dy += line[span + b + 1] * h.weights[1]
                            dy += line[span + b + 2] * h.weights[2]
                            dy += line[span + b + 3] * h.weights[3]
                            let px = Float(rect.x + col) + 0.5
                            texel = d.detail.ragged(texel, dx: dx, dy: dy, px: px, py: py)
                            var lab = LatentColor.oklab(texel)
                            lab += (d.highlight - lab) * LatentColor.highlight(texel)
                            lab = d.detail.apply(lab, texel: texel, gx: dx.x, gy: dy.x, px: px, py: py)
                            let rgb = d.encoder.srgb(lab)
                            let o = (row * rect.width + col) * 3
                            out[o] = rgb.x; out[o + 1] = rgb.y; out[o + 2] = rgb.z
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
            WorkQueue.run(bands, threads: threads) { b in
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
    }
}
