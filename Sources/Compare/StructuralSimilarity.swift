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

    /// Images narrower or shorter than the window (scikit-image refuses them) fall back to one
    /// window over the whole image with uniform weights.
    static func mean(_ a: RGBAImage, _ b: RGBAImage) -> Double {
        precondition(a.width == b.width && a.height == b.height, "SSIM needs images of one size")
        let width = a.width, height = a.height, window = 2 * radius + 1
        guard width >= window && height >= window else { return wholeImage(a, b) }
        let outWidth = width - 2 * radius
        let rows = radius..<(height - radius)
        let bands = a.pixels.withUnsafeBufferPointer { pa in
            b.pixels.withUnsafeBufferPointer { pb in
                // Fixed band height (not one per core) keeps the summation order, hence the result,
                // the same on every machine.
                RowBands.map(rows: rows, bandHeight: 128) { band in
                    var filter = BandFilter(width: width, outWidth: outWidth)
                    return (0..<3).map { channel in
                        filter.ssimSum(pa.baseAddress!, pb.baseAddress!, channel: channel, outputRows: band)
                    }
                }
            }
        }
        let count = Double(rows.count * outWidth)
        let channelMeans = (0..<3).map { c in bands.reduce(0) { $0 + $1[c] } / count }
        return channelMeans.reduce(0, +) / 3
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

/// Scratch for one row band. Input rows are filtered horizontally into a ring of the last 11 rows
/// (5 quantities each: x, y, x², y², xy); each full ring yields one output row by filtering
/// vertically across it. The ring stays cache-sized whatever the band height.
private struct BandFilter {
    let width: Int
    let outWidth: Int
    static let window = 2 * StructuralSimilarity.radius + 1
    /// Input row values and products, 5 × `width`.
    var line: [Double]
    /// Horizontally filtered quantities: `window` ring slots of 5 × `outWidth`.
    var ring: [Double]
    /// Vertically filtered quantities for one output row: 5 × `outWidth`.
    var vertical: [Double]

    init(width: Int, outWidth: Int) {
        self.width = width
        self.outWidth = outWidth
        line = [Double](repeating: 0, count: 5 * width)
        ring = [Double](repeating: 0, count: Self.window * 5 * outWidth)
        vertical = [Double](repeating: 0, count: 5 * outWidth)
    }

    /// Sum of the SSIM map over `outputRows` (all in the cropped region) for one channel.
    mutating func ssimSum(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, channel: Int,
                          outputRows: Range<Int>) -> Double {
        let r = StructuralSimilarity.radius, window = Self.window
        let width = width, outWidth = outWidth, slot = 5 * outWidth
        return StructuralSimilarity.kernel.withUnsafeBufferPointer { k in
            line.withUnsafeMutableBufferPointer { line in
                ring.withUnsafeMutableBufferPointer { ring in
                    vertical.withUnsafeMutableBufferPointer { v in
                        var sum = 0.0
                        for y in (outputRows.lowerBound - r)..<(outputRows.upperBound + r) {
                            for x in 0..<width {
                                let p = y * width + x
                                let va = StructuralSimilarity.composited(a, p, channel)
                                let vb = StructuralSimilarity.composited(b, p, channel)
                                line[x] = va
                                line[width + x] = vb
                                line[2 * width + x] = va * va
                                line[3 * width + x] = vb * vb
                                line[4 * width + x] = va * vb
                            }
                            let target = ring.baseAddress! + (y % window) * slot
                            for q in 0..<5 {
                                Self.convolve(line.baseAddress! + q * width + r, stride: 1,
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
