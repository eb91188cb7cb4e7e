import AtlasCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One pass over a band of rows that gathers every per-pixel metric at once: pixelmatch's
/// classification (into a verdict per pixel), the largest channel difference, the squared error
/// for PSNR and the ΔE₀₀ of each changed pixel. Pixels whose four bytes are equal (most of a golden
/// comparison) cost one compare, equal rows one `memcmp`.
struct DifferenceScan {
    /// What pixelmatch decided for one pixel.
    enum Verdict: UInt8 {
        case same = 0, differing, antialiased
    }

    private(set) var differingPixels = 0
    private(set) var antialiasedPixels = 0
    private(set) var maxChannelDifference = 0
    /// Sum of squared RGB differences after compositing on white.
    private(set) var squaredError = 0.0
    /// The non-zero ΔE₀₀ values, in reading order.
    private(set) var deltaE: [Double] = []

    /// Scans `rows` of `view` (the rows around them, for the anti-aliasing test, must be in the view
    /// too) and writes one `Verdict` per pixel into `verdicts` (row-major, `rows.count × width`).
    /// With `measuring` false only the verdicts are made (what the difference image needs).
    init(_ view: BandView, rows: Range<Int>, tolerance: Tolerance, measuring: Bool, verdicts: UnsafeMutablePointer<UInt8>) {
        let width = view.width, a = view.a, b = view.b
        let maxDelta = PixelMatch.maxDelta(threshold: tolerance.threshold)
        let includeAA = tolerance.includeAntialiasing
        let match = PixelMatch(a: a, b: b, width: width, height: view.height)
        verdicts.initialize(repeating: Verdict.same.rawValue, count: rows.count * width)
        var labCache = measuring ? LabCache() : nil
        for y in rows {
            let row = y * width
            if memcmp(a + row, b + row, width * 4) == 0 { continue }
            let out = verdicts + (y - rows.lowerBound) * width
            for x in 0..<width {
                let i = row + x
                if a[i] == b[i] { continue }
                if measuring { measure(a, b, i, &labCache!) }
                guard PixelMatch.colorDelta(a, i, b, i) > maxDelta else { continue }
                let isAA = !includeAA && match.isAntialiased(x: x, y: y)
                if isAA { antialiasedPixels += 1 } else { differingPixels += 1 }
                out[x] = (isAA ? Verdict.antialiased : .differing).rawValue
            }
        }
    }

    @inline(__always)
    private mutating func measure(_ a: UnsafePointer<UInt32>, _ b: UnsafePointer<UInt32>, _ i: Int, _ labCache: inout LabCache) {
        for c in 0..<4 {
            let ca = PixelMatch.byte(a, i, c), cb = PixelMatch.byte(b, i, c)
            maxChannelDifference = max(maxChannelDifference, abs(Int(ca) - Int(cb)))
        }
        let (r1, g1, b1) = PixelMatch.blendedRGB(a, i)
        let (r2, g2, b2) = PixelMatch.blendedRGB(b, i)
        squaredError += (r1 - r2) * (r1 - r2) + (g1 - g2) * (g1 - g2) + (b1 - b2) * (b1 - b2)
        let e = CIEDE2000.deltaE(labCache.lab(a[i], r1, g1, b1), labCache.lab(b[i], r2, g2, b2))
        if e > 0 { deltaE.append(e) }
    }
}
