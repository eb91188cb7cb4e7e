#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CIE L*a*b* and the CIEDE2000 colour difference, with scikit-image's constants (sRGB → XYZ
/// matrix, D65/2° white 0.95047, 1, 1.08883, the 0.008856 / 7.787 linear segment) so ΔE values
/// agree with `deltaE_ciede2000(rgb2lab(a), rgb2lab(b))`.
enum CIEDE2000 {
    /// sRGB byte → linear light, for the common opaque case.
    static let linearOfByte: [Double] = (0..<256).map { linear(Double($0) / 255) }

    @inline(__always)
    static func linear(_ c: Double) -> Double {
        c > 0.04045 ? pow((c + 0.055) / 1.055, 2.4) : c / 12.92
    }

    /// L*a*b* of linear-light RGB.
    @inline(__always)
    static func lab(linearRed r: Double, green g: Double, blue b: Double) -> SIMD3<Double> {
        let x = (0.412453 * r + 0.357580 * g + 0.180423 * b) / 0.95047
        let y = 0.212671 * r + 0.715160 * g + 0.072169 * b
        let z = (0.019334 * r + 0.119193 * g + 0.950227 * b) / 1.08883
        let fx = f(x), fy = f(y), fz = f(z)
        return SIMD3(116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
    }

    @inline(__always)
    private static func f(_ t: Double) -> Double {
        t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116.0
    }

    /// ΔE₀₀ between two Lab colours (kL = kC = kH = 1), following scikit-image's formulation.
    static func deltaE(_ lab1: SIMD3<Double>, _ lab2: SIMD3<Double>) -> Double {
        let (l1, a1, b1) = (lab1.x, lab1.y, lab1.z)
        let (l2, a2, b2) = (lab2.x, lab2.y, lab2.z)
        // Stretch a* by the mean chroma, then work in the polar (C′, h′) coordinates.
        let meanChroma = 0.5 * (length(a1, b1) + length(a2, b2))
        let c7 = seventhPower(meanChroma)
        let g = 0.5 * (1 - (c7 / (c7 + twentyFiveToTheSeventh)).squareRoot())
        let (c1, h1) = polar(a1 * (1 + g), b1)
        let (c2, h2) = polar(a2 * (1 + g), b2)

        let lBar = 0.5 * (l1 + l2)
        let lBar50 = (lBar - 50) * (lBar - 50)
        let sL = 1 + 0.015 * lBar50 / (20 + lBar50).squareRoot()
        let lTerm = (l2 - l1) / sL

        let cBar = 0.5 * (c1 + c2)
        let sC = 1 + 0.045 * cBar
        let cTerm = (c2 - c1) / sC

        let hDiff = h2 - h1, hSum = h1 + h2
        let cc = c1 * c2
        var dH = hDiff
        if hDiff > .pi { dH -= 2 * .pi }
        if hDiff < -.pi { dH += 2 * .pi }
        if cc == 0 { dH = 0 }
        let dHTerm = 2 * cc.squareRoot() * sin(dH / 2)

        var hBar = hSum
        if cc != 0 && abs(hDiff) > .pi { hBar += hSum < 2 * .pi ? 2 * .pi : -2 * .pi }
        if cc == 0 { hBar *= 2 }
        hBar *= 0.5

        // cos of h̄'s multiples from one sine and cosine (angle-sum identities): 4 cosines cost more
        // than the rest of the formula, and the result differs from direct evaluation by ~1e-15.
        let cos1 = cos(hBar), sin1 = sin(hBar)
        let cos2 = cos1 * cos1 - sin1 * sin1, sin2 = 2 * sin1 * cos1
        let cos3 = cos2 * cos1 - sin2 * sin1, sin3 = sin2 * cos1 + cos2 * sin1
        let cos4 = cos2 * cos2 - sin2 * sin2, sin4 = 2 * sin2 * cos2
        let term1: Double = 0.17 * (cos1 * cos30 + sin1 * sin30)
        let term3: Double = 0.32 * (cos3 * cos6 - sin3 * sin6)
        let term4: Double = 0.20 * (cos4 * cos63 + sin4 * sin63)
        let t = 1 - term1 + 0.24 * cos2 + term3 - term4
        let sH = 1 + 0.015 * cBar * t
        let hTerm = dHTerm / sH

        let cBar7 = seventhPower(cBar)
        let rC = 2 * (cBar7 / (cBar7 + twentyFiveToTheSeventh)).squareRoot()
        let degrees = hBar * 180 / .pi
        let dTheta = radians(30) * exp(-((degrees - 275) / 25) * ((degrees - 275) / 25))
        let rTerm = -sin(2 * dTheta) * rC * cTerm * hTerm

        return max(lTerm * lTerm + cTerm * cTerm + hTerm * hTerm + rTerm, 0).squareRoot()
    }

    private static let twentyFiveToTheSeventh = 6_103_515_625.0
    private static let cos30 = cos(radians(30)), sin30 = sin(radians(30))
    private static let cos6 = cos(radians(6)), sin6 = sin(radians(6))
    private static let cos63 = cos(radians(63)), sin63 = sin(radians(63))

    @inline(__always)
    private static func seventhPower(_ x: Double) -> Double {
        let x2 = x * x
        return x2 * x2 * x2 * x
    }

    /// √(x² + y²): Lab coordinates are far from overflow, so libm's careful `hypot` (several times
    /// slower) buys nothing; the two differ by at most an ulp.
    @inline(__always)
    private static func length(_ x: Double, _ y: Double) -> Double { (x * x + y * y).squareRoot() }

    /// Radius and angle in [0, 2π).
    @inline(__always)
    private static func polar(_ x: Double, _ y: Double) -> (Double, Double) {
        let angle = atan2(y, x)
        return (length(x, y), angle < 0 ? angle + 2 * .pi : angle)
    }

    @inline(__always)
    private static func radians(_ degrees: Double) -> Double { degrees * .pi / 180 }
}
