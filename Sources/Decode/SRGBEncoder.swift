/// OKLab → sRGB for the decoder's pixel loop: matrices in Float and the sRGB transfer curve from a
/// table (the `pow` per channel would dominate the decode time).
struct SRGBEncoder: Sendable {
    private let table: [Float]
    private static let size = 4096

    init() {
        table = (0...SRGBEncoder.size).map { i in
            let v = Double(i) / Double(SRGBEncoder.size)
            return Float(v <= 0.0031308 ? v * 12.92 : 1.055 * _pow(v, 1 / 2.4) - 0.055)
        }
    }

    /// sRGB components 0…1 of an OKLab colour (out-of-gamut colours are clipped per channel).
    @inline(__always)
    func srgb(_ lab: SIMD3<Float>) -> SIMD3<Float> {
        let l_ = lab.x + 0.3963377774 * lab.y + 0.2158037573 * lab.z
        let m_ = lab.x - 0.1055613458 * lab.y - 0.0638541728 * lab.z
        let s_ = lab.x - 0.0894841775 * lab.y - 1.2914855480 * lab.z
        let l = l_ * l_ * l_, m = m_ * m_ * m_, s = s_ * s_ * s_
        let linear = SIMD3<Float>(
            4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
            -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
            -0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s)
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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func _pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
