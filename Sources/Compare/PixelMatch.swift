/// pixelmatch's per-pixel tests (mapbox/pixelmatch, as ported to Python on PyPI), kept
/// operation-for-operation so mismatch counts agree exactly:
/// - colour distance is a weighted squared YIQ difference (Kotsarenko & Ramos), after blending
///   translucent pixels over white; 35215 is its largest possible value;
/// - a pixel is anti-aliasing when its 8 neighbours hold both a darker and a brighter pixel, not
///   more than 2 of them equal in brightness, and the darkest or brightest has 3+ identical
///   siblings in both images (Vyšniauskas, 2009).
struct PixelMatch {
    /// Pixels as 32-bit words (RGBA bytes), for whole-pixel equality.
    let a: UnsafePointer<UInt32>
    let b: UnsafePointer<UInt32>
    let width: Int
    let height: Int

    /// The YIQ distance above which a pixel differs, for a 0…1 threshold.
    static func maxDelta(threshold: Double) -> Double { 35215 * threshold * threshold }

    /// Squared YIQ distance between pixel `i` of `p` and pixel `j` of `q`.
    @inline(__always)
    static func colorDelta(_ p: UnsafePointer<UInt32>, _ i: Int, _ q: UnsafePointer<UInt32>, _ j: Int) -> Double {
        let (r1, g1, b1) = blendedRGB(p, i)
        let (r2, g2, b2) = blendedRGB(q, j)
        let y = luma(r1, g1, b1) - luma(r2, g2, b2)
        let iDiff = (r1 * 0.59597799 - g1 * 0.27417610 - b1 * 0.32180189)
            - (r2 * 0.59597799 - g2 * 0.27417610 - b2 * 0.32180189)
        let qDiff = (r1 * 0.21147017 - g1 * 0.52261711 + b1 * 0.31114694)
            - (r2 * 0.21147017 - g2 * 0.52261711 + b2 * 0.31114694)
        return 0.5053 * y * y + 0.299 * iDiff * iDiff + 0.1957 * qDiff * qDiff
    }

    /// Brightness difference (Y of YIQ) between pixel `i` and pixel `j` of the same image.
    @inline(__always)
    static func brightnessDelta(_ p: UnsafePointer<UInt32>, _ i: Int, _ j: Int) -> Double {
        if p[i] == p[j] { return 0 }
        let (r1, g1, b1) = blendedRGB(p, i)
        let (r2, g2, b2) = blendedRGB(p, j)
        return luma(r1, g1, b1) - luma(r2, g2, b2)
    }

    @inline(__always)
    static func luma(_ r: Double, _ g: Double, _ b: Double) -> Double {
        r * 0.29889531 + g * 0.58662247 + b * 0.11448223
    }

    /// A pixel's RGB blended over white by its alpha (unchanged when opaque).
    @inline(__always)
    static func blendedRGB(_ p: UnsafePointer<UInt32>, _ i: Int) -> (Double, Double, Double) {
        let r = Double(byte(p, i, 0)), g = Double(byte(p, i, 1)), b = Double(byte(p, i, 2))
        let a = byte(p, i, 3)
        guard a < 255 else { return (r, g, b) }
        let alpha = Double(a) / 255
        return (255 + (r - 255) * alpha, 255 + (g - 255) * alpha, 255 + (b - 255) * alpha)
    }

    /// Channel `c` (R, G, B, A) of pixel `i`, whatever the machine's byte order.
    @inline(__always)
    static func byte(_ p: UnsafePointer<UInt32>, _ i: Int, _ c: Int) -> UInt8 {
        UnsafeRawPointer(p + i).load(fromByteOffset: c, as: UInt8.self)
    }

    /// Whether the differing pixel at (x, y) sits on an anti-aliased edge in either image.
    func isAntialiased(x: Int, y: Int) -> Bool {
        Self.antialiased(a, other: b, x: x, y: y, width: width, height: height)
            || Self.antialiased(b, other: a, x: x, y: y, width: width, height: height)
    }

    private static func antialiased(_ img: UnsafePointer<UInt32>, other: UnsafePointer<UInt32>,
                                    x x1: Int, y y1: Int, width: Int, height: Int) -> Bool {
        let x0 = max(x1 - 1, 0), y0 = max(y1 - 1, 0)
        let x2 = min(x1 + 1, width - 1), y2 = min(y1 + 1, height - 1)
        let centre = y1 * width + x1
        var zeroes = (x1 == x0 || x1 == x2 || y1 == y0 || y1 == y2) ? 1 : 0
        var minDelta = 0.0, maxDelta = 0.0
        var minX = 0, minY = 0, maxX = 0, maxY = 0
        // Column-major neighbour order, as pixelmatch: it decides which of equal extremes is kept.
        for x in x0...x2 {
            for y in y0...y2 where x != x1 || y != y1 {
                let delta = brightnessDelta(img, centre, y * width + x)
                if delta == 0 {
                    zeroes += 1
                    if zeroes > 2 { return false }
                } else if delta < minDelta {
                    minDelta = delta; minX = x; minY = y
                } else if delta > maxDelta {
                    maxDelta = delta; maxX = x; maxY = y
                }
            }
        }
        if minDelta == 0 || maxDelta == 0 { return false }
        return (hasManySiblings(img, x: minX, y: minY, width: width, height: height)
                && hasManySiblings(other, x: minX, y: minY, width: width, height: height))
            || (hasManySiblings(img, x: maxX, y: maxY, width: width, height: height)
                && hasManySiblings(other, x: maxX, y: maxY, width: width, height: height))
    }

    /// Whether the pixel has 3 or more identical neighbours (an image edge counts as one).
    private static func hasManySiblings(_ img: UnsafePointer<UInt32>, x x1: Int, y y1: Int, width: Int, height: Int) -> Bool {
        let x0 = max(x1 - 1, 0), y0 = max(y1 - 1, 0)
        let x2 = min(x1 + 1, width - 1), y2 = min(y1 + 1, height - 1)
        let value = img[y1 * width + x1]
        var zeroes = (x1 == x0 || x1 == x2 || y1 == y0 || y1 == y2) ? 1 : 0
        for x in x0...x2 {
            for y in y0...y2 where x != x1 || y != y1 {
                if img[y * width + x] == value { zeroes += 1 }
                if zeroes > 2 { return true }
            }
        }
        return false
    }
}
