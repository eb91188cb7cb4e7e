import AtlasCore

/// OKLab → sRGB for the decoder's pixel loop: AtlasCore's matrices in Float and the sRGB transfer
/// curve from a table (the `pow` per channel would dominate the decode time).
struct SRGBEncoder: Sendable {
    private let table: [Float]
    private static let size = 4096

    init() {
        table = (0...SRGBEncoder.size).map { i in
            let v = Double(i) / Double(SRGBEncoder.size)
            return Float(ColorSpace.linearToSRGB(v))
        }
    }

    /// sRGB components 0…1 of an OKLab colour (out-of-gamut colours are clipped per channel).
    @inline(__always)
    func srgb(_ lab: SIMD3<Float>) -> SIMD3<Float> {
        let linear = ColorSpace.okLabToLinear(lab)
        return table.withUnsafeBufferPointer { t in
            SIMD3(curve(linear.x, t), curve(linear.y, t), curve(linear.z, t))
        }
    }

    @inline(__always)
    private func curve(_ v: Float, _ t: UnsafeBufferPointer<Float>) -> Float {
        let p = min(max(v, 0), 1) * Float(SRGBEncoder.size)
        let i = min(Int(p), SRGBEncoder.size - 1)
        let f = p - Float(i)
        return t[i] + (t[i + 1] - t[i]) * f
    }
}
