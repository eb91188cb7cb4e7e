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
        let detail: Float
        let grain: LatticeNoise
        let fibre: LatticeNoise
        let speckle: LatticeNoise
        let encoder = SRGBEncoder()

        init(palette: Palette, settings: DecodeSettings, seed: UInt64) {
            let lab = palette.highlight.oklab
            highlight = SIMD3(Float(lab.x), Float(lab.y), Float(lab.z))
            detail = Float(settings.detail)
            grain = LatticeNoise(seed: seed, stream: 31)
            fibre = LatticeNoise(seed: seed, stream: 32)
            speckle = LatticeNoise(seed: seed, stream: 33)
        }
    }

    /// Output pixels of `rect` (non-empty; may reach past the output, which extends the edge).
    /// Catmull-Rom upsampling of the latent, done separably (a vertical pass into a line of latent
    /// texels, then a horizontal pass), then print-resolution detail, highlight colour and sRGB.
    public func render(_ rect: PixelRect) -> FloatImage {
        precondition(!rect.isEmpty, "Painting.render needs a non-empty rectangle")
        var image = FloatImage(width: rect.width, height: rect.height)
        let scaleX = Float(latentWidth) / Float(width), scaleY = Float(latentHeight) / Float(height)
        let columns = (0..<rect.width).map { Tap(position: (Float(rect.x + $0) + 0.5) * scaleX - 0.5) }
        let first = columns[0].index - 1, last = columns[rect.width - 1].index + 2
        var line = [SIMD4<Float>](repeating: .zero, count: last - first + 1)
        let d = decoding
        let strength = d.detail
        latent.withUnsafeBufferPointer { latent in
            line.withUnsafeMutableBufferPointer { line in
                image.values.withUnsafeMutableBufferPointer { out in
                    for row in 0..<rect.height {
                        let py = Float(rect.y + row) + 0.5
                        let tap = Tap(position: py * scaleY - 0.5)
                        var rows = SIMD4<Int>.zero
                        for j in 0..<4 { rows[j] = min(max(tap.index - 1 + j, 0), latentHeight - 1) * latentWidth }
                        for c in 0..<line.count {
                            let lx = min(max(first + c, 0), latentWidth - 1)
                            var v = latent[rows[0] + lx] * tap.weights[0]
                            v += latent[rows[1] + lx] * tap.weights[1]
                            v += latent[rows[2] + lx] * tap.weights[2]
                            v += latent[rows[3] + lx] * tap.weights[3]
                            line[c] = v
                        }
                        for col in 0..<rect.width {
                            let h = columns[col]
                            let base = h.index - 1 - first
                            var texel = line[base] * h.weights[0]
                            texel += line[base + 1] * h.weights[1]
                            texel += line[base + 2] * h.weights[2]
                            texel += line[base + 3] * h.weights[3]
                            let px = Float(rect.x + col) + 0.5
                            var lab = LatentColor.oklab(texel)
                            lab += (d.highlight - lab) * LatentColor.highlight(texel)
                            // Print detail: grain whose coordinates are pushed around by the latent
                            // itself, so it flows along the painted forms instead of sitting on top.
                            let g = d.grain.gradient(px * 0.45 + texel.x * 2.5, py * 0.45 + texel.y * 2.5)
                            let f = d.fibre.fractal(px * 0.12 + texel.x * 4, py * 0.12 + texel.z * 4, octaves: 2)
                            let s = d.speckle.gradient(px * 0.3 - texel.z * 3, py * 0.3 + texel.x * 3)
                            lab.x += strength * (0.022 * g + 0.04 * f)
                            lab.y += strength * 0.012 * s
                            lab.z -= strength * 0.012 * f
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

    /// Catmull-Rom taps for one output coordinate: the latent index left of it and four weights.
    private struct Tap {
        let index: Int
        let weights: SIMD4<Float>

        init(position: Float) {
            let floor = position.rounded(.down)
            index = Int(floor)
            let f = position - floor, f2 = f * f, f3 = f2 * f
            weights = SIMD4(-0.5 * f3 + f2 - 0.5 * f, 1.5 * f3 - 2.5 * f2 + 1,
                            -1.5 * f3 + 2 * f2 + 0.5 * f, 0.5 * f3 - 0.5 * f2)
        }
    }
}
