import AtlasCore

/// Draws pixelmatch's diff picture: every unchanged pixel as its brightness faded 90 % toward white,
/// changed pixels in solid colours on top.
enum DiffPainter {
    static let differing: (UInt8, UInt8, UInt8) = (255, 0, 0)
    static let antialiased: (UInt8, UInt8, UInt8) = (255, 255, 0)
    /// The frame drawn around the largest connected area of changes.
    static let frameColour: (UInt8, UInt8, UInt8) = (255, 0, 255)
    /// Its width, drawn just outside the area so the red pixels stay visible.
    static let frameWidth = 2
    /// How much of A's brightness shows through (pixelmatch's `alpha`).
    static let fade = 0.1

    /// `verdicts` covers `pair` (the overlap); the rest of A, not covered by B, is drawn as differing.
    static func paint(_ a: RGBAImage, pair: AlignedPair, verdicts: [UInt8], frame: PixelRect? = nil) -> RGBAImage {
        var out = RGBAImage(width: a.width, height: a.height)
        out.pixels.withUnsafeMutableBufferPointer { dst in
            a.pixels.withUnsafeBufferPointer { src in
                _ = Parallel.map(rows: 0..<a.height, bandHeight: 64, threads: Parallel.allCores) { rows in
                    for y in rows {
                        for x in 0..<a.width {
                            let o = (y * a.width + x) * 4
                            let inPair = x < pair.width && y < pair.height
                            let v = inPair ? verdicts[y * pair.width + x] : DifferenceScan.Verdict.differing.rawValue
                            let colour: (UInt8, UInt8, UInt8)
                            switch DifferenceScan.Verdict(rawValue: v)! {
                            case .differing: colour = differing
                            case .antialiased: colour = antialiased
                            case .same:
                                let grey = fadedGrey(src.baseAddress! + o)
                                let masked = inPair && pair.maskCoverage?[y * pair.width + x] == 1
                                // Ignore regions get a blue cast so a reviewer sees what was skipped.
                                colour = masked ? (UInt8(Double(grey) * 0.8), UInt8(Double(grey) * 0.8), 255) : (grey, grey, grey)
                            }
                            dst[o] = colour.0; dst[o + 1] = colour.1; dst[o + 2] = colour.2; dst[o + 3] = 255
                        }
                    }
                }
            }
        }
        if let frame { drawFrame(around: frame, on: &out) }
        return out
    }

    /// A `frameWidth` outline just outside `box`, clipped to the image.
    static func drawFrame(around box: PixelRect, on image: inout RGBAImage) {
        let w = frameWidth
        let outer = PixelRect(x: box.x - w, y: box.y - w, width: box.width + 2 * w, height: box.height + 2 * w)
        let bounds = PixelRect(x: 0, y: 0, width: image.width, height: image.height)
        let sides = [
            PixelRect(x: outer.x, y: outer.y, width: outer.width, height: w),
            PixelRect(x: outer.x, y: box.maxY, width: outer.width, height: w),
            PixelRect(x: outer.x, y: box.y, width: w, height: box.height),
            PixelRect(x: box.maxX, y: box.y, width: w, height: box.height),
        ]
        for side in sides.map({ $0.intersection(bounds) }) where !side.isEmpty {
            for y in side.y..<side.maxY {
                for x in side.x..<side.maxX {
                    let o = (y * image.width + x) * 4
                    image.pixels[o] = frameColour.0; image.pixels[o + 1] = frameColour.1
                    image.pixels[o + 2] = frameColour.2; image.pixels[o + 3] = 255
                }
            }
        }
    }

    /// pixelmatch's `drawGrayPixel`: luma blended toward white by `fade × alpha`, truncated.
    @inline(__always)
    static func fadedGrey(_ p: UnsafePointer<UInt8>) -> UInt8 {
        let luma = PixelMatch.luma(Double(p[0]), Double(p[1]), Double(p[2]))
        return UInt8(255 + (luma - 255) * (fade * Double(p[3]) / 255))
    }
}
