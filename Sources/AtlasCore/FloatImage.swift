/// A float RGB image (sRGB-encoded components 0…1, no alpha), rows top to bottom.
/// The decoder paints into these; 16-bit output keeps the extra precision.
public struct FloatImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height * 3` values, RGB interleaved.
    public var values: [Float]

    public init(width: Int, height: Int, values: [Float]) {
        precondition(width > 0 && height > 0 && values.count == width * height * 3, "FloatImage size mismatch")
        self.width = width
        self.height = height
        self.values = values
    }

    public init(width: Int, height: Int) {
        self.init(width: width, height: height, values: [Float](repeating: 0, count: width * height * 3))
    }

    /// Quantised to 8-bit RGBA (opaque), rounding to nearest.
    public func rgba8() -> RGBAImage {
        var px = [UInt8](repeating: 255, count: width * height * 4)
        values.withUnsafeBufferPointer { src in
            px.withUnsafeMutableBufferPointer { dst in
                for i in 0..<(width * height) {
                    for c in 0..<3 {
                        let v = min(max(src[i * 3 + c], 0), 1)
                        dst[i * 4 + c] = UInt8(v * 255 + 0.5)
                    }
                }
            }
        }
        return RGBAImage(width: width, height: height, pixels: px)
    }
}
