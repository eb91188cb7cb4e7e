#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A colour in sRGB (gamma-encoded) components 0…1 with straight alpha.
/// Styles write colours as `#rrggbb` or `#rrggbbaa`.
public struct RGBColor: Sendable, Hashable, Codable, CustomStringConvertible {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red; self.green = green; self.blue = blue; self.alpha = alpha
    }

    /// Parses `#rgb`, `#rrggbb` or `#rrggbbaa`; nil when it is not one of those.
    public init?(hex: String) {
        var s = Substring(hex)
        guard s.first == "#" else { return nil }
        s = s.dropFirst()
        if s.count == 3 { s = Substring(s.map { "\($0)\($0)" }.joined()) }
        guard s.count == 6 || s.count == 8, let v = UInt64(s, radix: 16) else { return nil }
        let n = s.count == 6 ? (v << 8 | 0xff) : v
        red = Double((n >> 24) & 0xff) / 255
        green = Double((n >> 16) & 0xff) / 255
        blue = Double((n >> 8) & 0xff) / 255
        alpha = Double(n & 0xff) / 255
    }

    public var hex: String {
        func h(_ v: Double) -> String {
            let i = Int((min(max(v, 0), 1) * 255).rounded())
            return (i < 16 ? "0" : "") + String(i, radix: 16)
        }
        return "#" + h(red) + h(green) + h(blue) + (alpha < 1 ? h(alpha) : "")
    }

    public var description: String { hex }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let v = RGBColor(hex: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(s)' is not a colour; expected #rrggbb or #rrggbbaa")
        }
        self = v
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }

    /// Linear-light components.
    public var linear: SIMD3<Double> {
        SIMD3(ColorSpace.srgbToLinear(red), ColorSpace.srgbToLinear(green), ColorSpace.srgbToLinear(blue))
    }

    /// OKLab coordinates (L, a, b).
    public var oklab: SIMD3<Double> { ColorSpace.linearToOKLab(linear) }

    public init(oklab: SIMD3<Double>, alpha: Double = 1) {
        let l = ColorSpace.okLabToLinear(oklab)
        self.init(red: ColorSpace.linearToSRGB(l.x), green: ColorSpace.linearToSRGB(l.y),
                  blue: ColorSpace.linearToSRGB(l.z), alpha: alpha)
    }
}

/// Colour-space conversions (sRGB transfer curve and Björn Ottosson's OKLab).
public enum ColorSpace {
    @inlinable
    public static func srgbToLinear(_ c: Double) -> Double {
        c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
    }

    @inlinable
    public static func linearToSRGB(_ c: Double) -> Double {
        let v = min(max(c, 0), 1)
        return v <= 0.0031308 ? v * 12.92 : 1.055 * pow(v, 1 / 2.4) - 0.055
    }

    @inlinable
    public static func linearToOKLab(_ c: SIMD3<Double>) -> SIMD3<Double> {
        let l = 0.4122214708 * c.x + 0.5363325363 * c.y + 0.0514459929 * c.z
        let m = 0.2119034982 * c.x + 0.6806995451 * c.y + 0.1073969566 * c.z
        let s = 0.0883024619 * c.x + 0.2817188376 * c.y + 0.6299787005 * c.z
        let l_ = cbrt(l), m_ = cbrt(m), s_ = cbrt(s)
        return SIMD3(
            0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_,
            1.9779984951 * l_ - 2.4285922050 * m_ + 0.4505937099 * s_,
            0.0259040371 * l_ + 0.7827717662 * m_ - 0.8086757660 * s_)
    }

    /// OKLab to linear-light sRGB, in Double for colours and in Float for pixel loops (one set of matrices).
    @inlinable
    public static func okLabToLinear<T: BinaryFloatingPoint & SIMDScalar>(_ c: SIMD3<T>) -> SIMD3<T> {
        let l_ = c.x + 0.3963377774 * c.y + 0.2158037573 * c.z
        let m_ = c.x - 0.1055613458 * c.y - 0.0638541728 * c.z
        let s_ = c.x - 0.0894841775 * c.y - 1.2914855480 * c.z
        let l = l_ * l_ * l_, m = m_ * m_ * m_, s = s_ * s_ * s_
        return SIMD3(
            4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
            -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
            -0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s)
    }
}
