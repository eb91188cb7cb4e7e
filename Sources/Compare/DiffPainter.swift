import AtlasCore

/// Draws pixelmatch's diff picture, a band of rows at a time: every unchanged pixel as its
/// brightness faded 90 % toward white, changed pixels in solid colours on top.
enum DiffPainter {
    static let differing: (UInt8, UInt8, UInt8) = (255, 0, 0)
    static let antialiased: (UInt8, UInt8, UInt8) = (255, 255, 0)
    /// The frame drawn around the largest connected area of changes.
    static let frameColour: (UInt8, UInt8, UInt8) = (255, 0, 255)
    /// Its width, drawn just outside the area so the red pixels stay visible.
    static let frameWidth = 2
    /// How much of A's brightness shows through (pixelmatch's `alpha`).
    static let fade = 0.1

    /// Paints rows `rows` of the difference image (A's width `width`) into `out` (`width × 4` bytes
    /// a row): pixels of the overlap from their verdicts (`verdicts` holds those rows of the overlap,
    /// `view.width` a row), the rest of A, not covered by B, red; then the frame's part in these rows.
    static func paint(rows: Range<Int>, width: Int, view: BandView?, verdicts: UnsafePointer<UInt8>?, masks: [PixelRect],
                      frame: PixelRect?, into out: UnsafeMutablePointer<UInt8>) {
        for y in rows {
            let o = out + (y - rows.lowerBound) * width * 4
            let inside = view.map { y < $0.height } ?? false
            let overlap = inside ? view!.width : 0
            for x in 0..<width {
                let colour: (UInt8, UInt8, UInt8)
                if x >= overlap {
                    colour = differing
                } else {
                    switch DifferenceScan.Verdict(rawValue: verdicts![(y - rows.lowerBound) * overlap + x])! {
                    case .differing: colour = differing
                    case .antialiased: colour = antialiased
                    case .same:
                        let grey = fadedGrey(view!.bytesA + (y * overlap + x) * 4)
                        colour = (grey, grey, grey)
                    }
                }
                o[x * 4] = colour.0; o[x * 4 + 1] = colour.1; o[x * 4 + 2] = colour.2; o[x * 4 + 3] = 255
            }
            // Ignore regions get a blue cast so a reviewer sees what was skipped (their pixels are "same").
            if inside {
                for span in BandedComparison.maskedSpans(row: y, masks: masks, width: overlap) {
                    for x in span {
                        let grey = Double(o[x * 4])
                        o[x * 4] = UInt8(grey * 0.8); o[x * 4 + 1] = UInt8(grey * 0.8); o[x * 4 + 2] = 255
                    }
                }
            }
            if let frame {
                for side in frameSides(around: frame) where (side.y..<side.maxY).contains(y) {
                    for x in max(side.x, 0)..<min(side.maxX, width) {
                        o[x * 4] = frameColour.0; o[x * 4 + 1] = frameColour.1; o[x * 4 + 2] = frameColour.2; o[x * 4 + 3] = 255
                    }
                }
            }
        }
    }

    /// The four sides of a `frameWidth` outline just outside `box`.
    static func frameSides(around box: PixelRect) -> [PixelRect] {
        let w = frameWidth
        let outer = PixelRect(x: box.x - w, y: box.y - w, width: box.width + 2 * w, height: box.height + 2 * w)
        return [
            PixelRect(x: outer.x, y: outer.y, width: outer.width, height: w),
            PixelRect(x: outer.x, y: box.maxY, width: outer.width, height: w),
            PixelRect(x: outer.x, y: box.y, width: w, height: box.height),
            PixelRect(x: box.maxX, y: box.y, width: w, height: box.height),
        ]
    }

    /// pixelmatch's `drawGrayPixel`: luma blended toward white by `fade × alpha`, truncated.
    @inline(__always)
    static func fadedGrey(_ p: UnsafePointer<UInt8>) -> UInt8 {
        let luma = PixelMatch.luma(Double(p[0]), Double(p[1]), Double(p[2]))
        return UInt8(255 + (luma - 255) * (fade * Double(p[3]) / 255))
    }
}
