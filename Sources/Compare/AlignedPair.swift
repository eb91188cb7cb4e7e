import AtlasCore

/// A and B brought to one size (their top-left overlap) with B's masked pixels replaced by A's, so
/// every metric can assume equal sizes and simply sees no difference inside ignore regions.
struct AlignedPair {
    let a: RGBAImage
    let b: RGBAImage
    /// One byte per pixel, 1 inside an ignore region; nil when there are no masks.
    let maskCoverage: [UInt8]?
    let maskedPixels: Int

    var width: Int { a.width }
    var height: Int { a.height }
    var comparedPixels: Int { width * height - maskedPixels }

    init(_ a: RGBAImage, _ b: RGBAImage, masks: [PixelRect]) {
        let width = min(a.width, b.width), height = min(a.height, b.height)
        let a = Self.cropped(a, width: width, height: height)
        var b = Self.cropped(b, width: width, height: height)
        let bounds = PixelRect(x: 0, y: 0, width: width, height: height)
        let rects = masks.map { $0.intersection(bounds) }.filter { !$0.isEmpty }
        guard !rects.isEmpty else {
            self.a = a; self.b = b; maskCoverage = nil; maskedPixels = 0
            return
        }
        var coverage = [UInt8](repeating: 0, count: width * height)
        for rect in rects {
            for y in rect.y..<rect.maxY {
                let row = y * width
                coverage.replaceSubrange((row + rect.x)..<(row + rect.maxX),
                                         with: repeatElement(1, count: rect.width))
                b.pixels.replaceSubrange(((row + rect.x) * 4)..<((row + rect.maxX) * 4),
                                         with: a.pixels[((row + rect.x) * 4)..<((row + rect.maxX) * 4)])
            }
        }
        self.a = a
        self.b = b
        maskCoverage = coverage
        maskedPixels = coverage.reduce(0) { $0 + Int($1) }
    }

    /// The top-left `width`×`height` of an image (the image itself when it is that size already).
    static func cropped(_ image: RGBAImage, width: Int, height: Int) -> RGBAImage {
        if image.width == width && image.height == height { return image }
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * 4)
        for y in 0..<height {
            let start = y * image.width * 4
            pixels += image.pixels[start..<(start + width * 4)]
        }
        return RGBAImage(width: width, height: height, pixels: pixels)
    }
}
