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

    /// Output tiles: fixed (not one per core or per band) so the summation order, hence the result,
    /// is the same on every machine and at every thread count.
    static let tileSize = (width: 512, height: 128)
    /// Within a tile, changes are found per sub-tile: scattered changes then cost a few small
    /// windows each instead of the bounding box of all of them (most of the tile).
    static let subTileSize = (width: 64, height: 32)

    /// Whether the SSIM map of a `width`×`height` image is windowed (scikit-image refuses images
    /// narrower or shorter than the window; they get one uniform window over the whole image).
    static func windowed(width: Int, height: Int) -> Bool { width >= 2 * radius + 1 && height >= 2 * radius + 1 }

    /// The SSIM map's extent: the image less the filter radius on every side.
    static func output(width: Int, height: Int) -> PixelRect {
        PixelRect(x: radius, y: radius, width: width - 2 * radius, height: height - 2 * radius)
    }

    /// Mean SSIM of two whole images of one size, `output` cut into tiles of `tileSize` (the
    /// comparison itself sums band by band through `sum`; this is the same sum in other pieces).
    static func mean(_ a: RGBAImage, _ b: RGBAImage, tileSize: (width: Int, height: Int) = tileSize) -> Double {
        precondition(a.width == b.width && a.height == b.height, "SSIM needs images of one size")
        return a.pixels.withUnsafeBytes { pa in
            b.pixels.withUnsafeBytes { pb in
                let view = BandView(a: pa.bindMemory(to: UInt32.self).baseAddress!, b: pb.bindMemory(to: UInt32.self).baseAddress!,
                                    width: a.width, height: a.height)
                if !windowed(width: a.width, height: a.height) {
                    return uniformIndex(uniformSums(view, rows: 0..<a.height), pixels: a.width * a.height)
                }
                var filter = WindowFilter()
                let region = output(width: a.width, height: a.height)
                let sums = sum(view, over: region, tileSize: tileSize, filter: &filter)
                return mean(sums, pixels: region.width * region.height)
            }
        }
    }

    /// The mean over R, G, B of per-channel sums of the map over `pixels` output pixels.
    static func mean(_ sums: SIMD3<Double>, pixels: Int) -> Double {
        let channelMeans = sums / Double(pixels)
        return (channelMeans.x + channelMeans.y + channelMeans.z) / 3
    }

    /// Σ of the SSIM map over `region` (output pixels, inside `output(width:height:)`) for R, G and
    /// B, tile by tile in reading order. The rows `region` reads (its own ± the radius) must be in
    /// the view.
    ///
    /// Where A and B agree on a whole window the SSIM index is exactly 1 (numerator and denominator
    /// are the same floating-point products), so only the part of each tile whose windows touch a
    /// changed pixel is filtered: a golden comparison with a few changes costs little more than a
    /// memory compare.
    static func sum(_ view: BandView, over region: PixelRect, tileSize: (width: Int, height: Int) = tileSize,
                    filter: inout WindowFilter) -> SIMD3<Double> {
        guard !region.isEmpty else { return .zero }
        let (tileWidth, tileHeight) = tileSize
        let sub = (width: min(subTileSize.width, tileWidth), height: min(subTileSize.height, tileHeight))
        var total = SIMD3<Double>.zero
        var rects: [PixelRect] = []
        for ty in stride(from: region.y, to: region.maxY, by: tileHeight) {
            for tx in stride(from: region.x, to: region.maxX, by: tileWidth) {
                let tile = PixelRect(x: tx, y: ty, width: tileWidth, height: tileHeight).intersection(region)
                // The changed part of each sub-tile; one box for the tile when they cover most of it.
                rects.removeAll(keepingCapacity: true)
                var area = 0
                for sy in stride(from: tile.y, to: tile.maxY, by: sub.height) {
                    for sx in stride(from: tile.x, to: tile.maxX, by: sub.width) {
                        let part = PixelRect(x: sx, y: sy, width: sub.width, height: sub.height).intersection(tile)
                        let changed = changedWindows(view, in: part)
                        if !changed.isEmpty { rects.append(changed); area += changed.width * changed.height }
                    }
                }
                if rects.count > 1 && 2 * area > tile.width * tile.height {
                    let minX = rects.map(\.x).min()!, minY = rects.map(\.y).min()!
                    let union = PixelRect(x: minX, y: minY, width: rects.map(\.maxX).max()! - minX, height: rects.map(\.maxY).max()! - minY)
                    rects = [union]
                    area = union.width * union.height
                }
                var tileSum = SIMD3<Double>(repeating: Double(tile.width * tile.height - area))
                for rect in rects {
                    filter.prepare(output: rect, imageWidth: view.width)
                    for channel in 0..<3 { tileSum[channel] += filter.ssimSum(view.bytesA, view.bytesB, channel: channel) }
                }
                total += tileSum
            }
        }
        return total
    }

    /// The part of `tile` (output pixels) whose windows contain a pixel where A and B differ: the
    /// bounding box of those pixels grown by the radius. Empty when none differ.
    static func changedWindows(_ view: BandView, in tile: PixelRect) -> PixelRect {
        let a = view.a, b = view.b, width = view.width
        var minX = Int.max, minY = Int.max, maxX = Int.min, maxY = Int.min
        let x0 = tile.x - radius, x1 = tile.maxX + radius
        for y in (tile.y - radius)..<(tile.maxY + radius) {
            let row = y * width
            // Equal rows (most of them) in one vectorised compare.
            if memcmp(a + row + x0, b + row + x0, (x1 - x0) * 4) == 0 { continue }
            for x in x0..<x1 where a[row + x] != b[row + x] {
                minX = min(minX, x); maxX = max(maxX, x)
                minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        guard minX <= maxX else { return PixelRect(x: tile.x, y: tile.y, width: 0, height: 0) }
        let grown = PixelRect(x: minX - radius, y: minY - radius, width: maxX - minX + 1 + 2 * radius,
                              height: maxY - minY + 1 + 2 * radius)
        return grown.intersection(tile)
    }

    /// Per channel, Σx, Σy, Σx², Σy², Σxy over `rows` (the uniform window of images under the window size).
    static func uniformSums(_ view: BandView, rows: Range<Int>) -> [SIMD8<Double>] {
        (0..<3).map { channel in
            var s = SIMD8<Double>.zero
            for i in (rows.lowerBound * view.width)..<(rows.upperBound * view.width) {
                let x = composited(view.bytesA, i, channel), y = composited(view.bytesB, i, channel)
                s[0] += x; s[1] += y; s[2] += x * x; s[3] += y * y; s[4] += x * y
            }
            return s
        }
    }

    /// The uniform window's SSIM from its sums over `pixels` pixels, averaged over R, G, B.
    static func uniformIndex(_ sums: [SIMD8<Double>], pixels: Int) -> Double {
        let k = Double(pixels)
        return sums.reduce(0.0) { total, s in
            total + index(mu1: s[0] / k, mu2: s[1] / k, s11: s[2] / k, s22: s[3] / k, s12: s[4] / k)
        } / 3
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
}

/// Scratch for one output rectangle. Its input rows are filtered horizontally into a ring of the
/// last 11 rows (5 quantities each: x, y, x², y², xy); each full ring yields one output row by
/// filtering vertically across it. The ring stays cache-sized whatever the rectangle's height.
struct WindowFilter {
    private(set) var imageWidth = 0
    private(set) var output = PixelRect(x: 0, y: 0, width: 0, height: 0)
    static let window = 2 * StructuralSimilarity.radius + 1
    /// Input row values and products, 5 × (output width + 2 radius).
    var line: [Double] = []
    /// Horizontally filtered quantities: `window` ring slots of 5 × output width.
    var ring: [Double] = []
    /// Vertically filtered quantities for one output row: 5 × output width.
    var vertical: [Double] = []

    /// Aims the filter at `output`, growing its scratch when it is wider than any before (so one
    /// filter serves every rectangle of a band without allocating again).
    mutating func prepare(output: PixelRect, imageWidth: Int) {
        self.imageWidth = imageWidth
        self.output = output
        let needed = 5 * (output.width + 2 * StructuralSimilarity.radius)
        if line.count < needed {
            line = [Double](repeating: 0, count: needed)
            ring = [Double](repeating: 0, count: Self.window * 5 * output.width)
            vertical = [Double](repeating: 0, count: 5 * output.width)
        }
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
