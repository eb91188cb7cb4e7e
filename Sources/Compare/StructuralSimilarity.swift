import AtlasCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Mean SSIM over R, G and B as scikit-image computes it with
/// `structural_similarity(a, b, channel_axis=2, gaussian_weights=True, sigma=1.5,
/// use_sample_covariance=False, data_range=255)`: an 11-tap Gaussian (σ 1.5, truncated at 3.5σ as
/// `scipy.ndimage.gaussian_filter` does), K1 0.01, K2 0.03, float64, and the SSIM map cropped by
/// the filter radius before averaging.
///
/// Because of that crop, every window that counts lies wholly inside the image, so the reflect
/// padding scikit-image filters with never matters and no border handling is needed. Translucent
/// pixels are composited on white first.
enum StructuralSimilarity {
    static let sigma = 1.5
    /// `int(truncate * sigma + 0.5)` with truncate 3.5, as scikit-image sets it.
    static let radius = Int(3.5 * sigma + 0.5)
    /// Normalised Gaussian taps, `scipy.ndimage._gaussian_kernel1d`.
    static let kernel: [Double] = {
        let taps = (-radius...radius).map { exp(-0.5 / (sigma * sigma) * Double($0 * $0)) }
        let sum = taps.reduce(0, +)
        return taps.map { $0 / sum }
    }()
    static let c1 = (0.01 * 255.0) * (0.01 * 255.0)
    static let c2 = (0.03 * 255.0) * (0.03 * 255.0)

    /// Output tiles: fixed (not one per core) so the summation order, hence the result, is the
    /// same on every machine.
    static let tileSize = (width: 512, height: 128)

    /// Images narrower or shorter than the window (scikit-image refuses them) fall back to one
    /// window over the whole image with uniform weights.
    ///
    /// Where A and B agree on a whole window the SSIM index is exactly 1 (numerator and denominator
    /// are the same floating-point products), so each tile only filters the part of it whose windows
    /// touch a changed pixel: a golden comparison with a few changes costs little more than a
    /// memory compare.
    static func mean(_ a: RGBAImage, _ b: RGBAImage, tileSize: (width: Int, height: Int) = tileSize) -> Double {
        precondition(a.width == b.width && a.height == b.height, "SSIM needs images of one size")
        let width = a.width, height = a.height, window = 2 * radius + 1
        guard width >= window && height >= window else { return wholeImage(a, b) }
        let output = PixelRect(x: radius, y: radius, width: width - 2 * radius, height: height - 2 * radius)
        let (tileWidth, tileHeight) = tileSize
        let columns = (output.width + tileWidth - 1) / tileWidth
        let rows = (output.height + tileHeight - 1) / tileHeight
        let tiles = a.pixels.withUnsafeBufferPointer { pa in
            b.pixels.withUnsafeBufferPointer { pb in
                Parallel.map(rows * columns, threads: Parallel.allCores) { index -> SIMD3<Double> in
                    let tile = PixelRect(x: output.x + index % columns * tileWidth, y: output.y + index / columns * tileHeight,
                                         width: tileWidth, height: tileHeight).intersection(output)
                    let changed = changedWindows(pa.baseAddress!, pb.baseAddress!, width: width, in: tile)
                    let unchanged = Double(tile.width * tile.height - changed.width * changed.height)
                    guard !changed.isEmpty else { return SIMD3(repeating: unchanged) }
                    var filter = WindowFilter(imageWidth: width, output: changed)
                    return SIMD3((0..<3).map { channel in
                        filter.ssimSum(pa.baseAddress!, pb.baseAddress!, channel: channel) + unchanged
                    })
                }
            }
        }
        let channelSums = tiles.reduce(SIMD3<Double>(repeating: 0), +)
        let channelMeans = channelSums / Double(output.width * output.height)
        return (channelMeans.x + channelMeans.y + channelMeans.z) / 3
    }

    /// The part of `tile` (output pixels) whose windows contain a pixel where A and B differ: the
    /// bounding box of those pixels grown by the radius. Empty when none differ.
    static func changedWindows(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, width: Int,
                               in tile: PixelRect) -> PixelRect {
        let rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b)
        var minX = Int.max, minY = Int.max, maxX = Int.min, maxY = Int.min
        for y in (tile.y - radius)..<(tile.maxY + radius) {
            let row = y * width
            for x in (tile.x - radius)..<(tile.maxX + radius)
            where rawA.load(fromByteOffset: (row + x) * 4, as: UInt32.self) != rawB.load(fromByteOffset: (row + x) * 4, as: UInt32.self) {
                minX = min(minX, x); maxX = max(maxX, x)
                minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        guard minX <= maxX else { return PixelRect(x: tile.x, y: tile.y, width: 0, height: 0) }
        let grown = PixelRect(x: minX - radius, y: minY - radius, width: maxX - minX + 1 + 2 * radius,
                              height: maxY - minY + 1 + 2 * radius)
        return grown.intersection(tile)
    }

    /// A channel value composited on white (`255 + (c − 255)·α`); exact for opaque pixels.
    @inline(__always)
    static func composited(_ p: UnsafePointer<UInt8>, _ pixel: Int, _ channel: Int) -> Double {
        let c = Double(p[pixel * 4 + channel]), alpha = p[pixel * 4 + 3]
        return alpha == 255 ? c : 255 + (c - 255) * (Double(alpha) / 255)
    }

    @inline(__always)
    static func index(mu1: Double, mu2: Double, s11: Double, s22: Double, s12: Double) -> Double {
        let vx = s11 - mu1 * mu1, vy = s22 - mu2 * mu2, vxy = s12 - mu1 * mu2
        let a1 = 2 * mu1 * mu2 + c1, a2 = 2 * vxy + c2
        let b1 = mu1 * mu1 + mu2 * mu2 + c1, b2 = vx + vy + c2
        return (a1 * a2) / (b1 * b2)
    }

    private static func wholeImage(_ a: RGBAImage, _ b: RGBAImage) -> Double {
        let n = a.width * a.height
        let total = a.pixels.withUnsafeBufferPointer { pa in
            b.pixels.withUnsafeBufferPointer { pb in
                (0..<3).reduce(0.0) { sum, channel in
                    var m1 = 0.0, m2 = 0.0, s11 = 0.0, s22 = 0.0, s12 = 0.0
                    for i in 0..<n {
                        let x = composited(pa.baseAddress!, i, channel), y = composited(pb.baseAddress!, i, channel)
                        m1 += x; m2 += y; s11 += x * x; s22 += y * y; s12 += x * y
                    }
                    let k = Double(n)
                    return sum + index(mu1: m1 / k, mu2: m2 / k, s11: s11 / k, s22: s22 / k, s12: s12 / k)
                }
            }
        }
        return total / 3
    }
}

/// Scratch for one output rectangle. Its input rows are filtered horizontally into a ring of the
/// last 11 rows (5 quantities each: x, y, x², y², xy); each full ring yields one output row by
/// filtering vertically across it. The ring stays cache-sized whatever the rectangle's height.
private struct WindowFilter {
    let imageWidth: Int
    let output: PixelRect
    static let window = 2 * StructuralSimilarity.radius + 1
    /// Input row values and products, 5 × (output width + 2 radius).
    var line: [Double]
    /// Horizontally filtered quantities: `window` ring slots of 5 × output width.
    var ring: [Double]
    /// Vertically filtered quantities for one output row: 5 × output width.
    var vertical: [Double]

    init(imageWidth: Int, output: PixelRect) {
        self.imageWidth = imageWidth
        self.output = output
        line = [Double](repeating: 0, count: 5 * (output.width + 2 * StructuralSimilarity.radius))
        ring = [Double](repeating: 0, count: Self.window * 5 * output.width)
        vertical = [Double](repeating: 0, count: 5 * output.width)
    }

    /// Sum of the SSIM map over `output` (inside the cropped region) for one channel.
    mutating func ssimSum(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, channel: Int) -> Double {
        let r = StructuralSimilarity.radius, window = Self.window
        let imageWidth = imageWidth, outWidth = output.width, inWidth = outWidth + 2 * r, slot = 5 * outWidth
        let firstColumn = output.x - r, outputRows = output.y..<output.maxY
        return StructuralSimilarity.kernel.withUnsafeBufferPointer { k in
            line.withUnsafeMutableBufferPointer { line in
                ring.withUnsafeMutableBufferPointer { ring in
                    vertical.withUnsafeMutableBufferPointer { v in
                        var sum = 0.0
                        for y in (outputRows.lowerBound - r)..<(outputRows.upperBound + r) {
                            for x in 0..<inWidth {
                                let p = y * imageWidth + firstColumn + x
                                let va = StructuralSimilarity.composited(a, p, channel)
                                let vb = StructuralSimilarity.composited(b, p, channel)
                                line[x] = va
                                line[inWidth + x] = vb
                                line[2 * inWidth + x] = va * va
                                line[3 * inWidth + x] = vb * vb
                                line[4 * inWidth + x] = va * vb
                            }
                            let target = ring.baseAddress! + (y % window) * slot
                            for q in 0..<5 {
                                Self.convolve(line.baseAddress! + q * inWidth + r, stride: 1,
                                              into: target + q * outWidth, count: outWidth, kernel: k)
                            }
                            // Once the ring holds rows y−2r…y, output row y−r is complete.
                            let out = y - r
                            guard out >= outputRows.lowerBound else { continue }
                            for q in 0..<5 {
                                Self.convolveAcross(ring.baseAddress!, centreRow: out, offset: q * outWidth, slot: slot,
                                                    into: v.baseAddress! + q * outWidth, count: outWidth, kernel: k)
                            }
                            for x in 0..<outWidth {
                                sum += StructuralSimilarity.index(
                                    mu1: v[x], mu2: v[outWidth + x], s11: v[2 * outWidth + x],
                                    s22: v[3 * outWidth + x], s12: v[4 * outWidth + x])
                            }
                        }
                        return sum
                    }
                }
            }
        }
    }
    /// `dst[i] = Σ k[t]·src[i + (t − r)·stride]` for a symmetric kernel, centre tap first and then
    /// the pairs outward, the order `scipy.ndimage.correlate1d` adds them in.
    @inline(__always)
    static func convolve(_ src: UnsafePointer<Double>, stride: Int, into dst: UnsafeMutablePointer<Double>,
                         count: Int, kernel k: UnsafeBufferPointer<Double>) {
        let r = k.count / 2
        let centre = k[r]
        for i in 0..<count { dst[i] = src[i] * centre }
        for t in 1...r {
            let w = k[r + t], before = src - t * stride, after = src + t * stride
            for i in 0..<count { dst[i] += (before[i] + after[i]) * w }
        }
    }

    /// The same sum down the ring's rows around `centreRow` (ring slot = row mod window), contiguous
    /// along i so it vectorises.
    @inline(__always)
    static func convolveAcross(_ ring: UnsafePointer<Double>, centreRow: Int, offset: Int, slot: Int,
                               into dst: UnsafeMutablePointer<Double>, count: Int, kernel k: UnsafeBufferPointer<Double>) {
        let r = k.count / 2, window = k.count
        let centre = k[r], src = ring + (centreRow % window) * slot + offset
        for i in 0..<count { dst[i] = src[i] * centre }
        for t in 1...r {
            let w = k[r + t]
            let before = ring + ((centreRow - t) % window) * slot + offset
            let after = ring + ((centreRow + t) % window) * slot + offset
            for i in 0..<count { dst[i] += (before[i] + after[i]) * w }
        }
    }
}
