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
}
