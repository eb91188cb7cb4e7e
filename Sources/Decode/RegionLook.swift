import AtlasCore

/// What a context's embedding says about its look: a colour ramp drawn from the palette and the
/// parameters of its texture. Every value is a smooth function of random projections of the
/// embedding, so similar contexts get similar colours and textures and clusters read as areas.
struct RegionLook: Sendable {
    /// Colour ramp in latent units (highlight channel −1): dark, middle and light stops.
    var dark: SIMD4<Float>
    var middle: SIMD4<Float>
    var light: SIMD4<Float>
    /// Texture frequency multiplier (1 = the style's texture scale).
    var frequency: Float
    /// Texture orientation in radians and stretch along it (≥ 1).
    var angle: Float
    var anisotropy: Float
    /// Domain-warp amount in texture periods.
    var warp: Float
    /// Mix of the texture families: strata (bands), mottling and veins; sums to 1.
    var family: SIMD3<Float>
    /// Contrast of the structure field, and how hard it is posterised into the ramp.
    var contrast: Float
    var steepness: Float

    private static let projectionCount = 11

    init(features: [Float], palette: Palette) {
        let u = RegionLook.projections(features)
        let base = RegionLook.paletteColor(position: u[0], palette: palette)
        let second = RegionLook.paletteColor(position: u[0] + (u[1] - 0.5) * 0.7, palette: palette)
        contrast = 0.75 + 0.6 * u[2]
        let spread = 0.14 * Double(contrast)
        dark = LatentColor.encode(RGBColor(oklab: RegionLook.shifted(base, lightness: -spread, chroma: 1.15)))
        middle = LatentColor.encode(RGBColor(oklab: (base + second) * 0.5))
        light = LatentColor.encode(RGBColor(oklab: RegionLook.shifted(second, lightness: spread * 0.8, chroma: 0.85)))
        frequency = 0.6 + 1.1 * u[3]
        angle = u[4] * .pi
        anisotropy = 1 + 2.5 * u[5] * u[5]
        warp = 0.15 + 1.1 * u[6]
        let weights = SIMD3<Float>(u[7], u[8], u[9])
        let sharpened = weights * weights * weights * weights + SIMD3(repeating: 0.02)
        family = sharpened / sharpened.sum()
        steepness = 3 + 7 * u[10]
    }

    /// Mean lightness of the ramp in latent units (what the denoiser measures deviations against).
    var meanTexel: SIMD4<Float> { (dark + middle * 2 + light) * 0.25 }

    /// Ramp colour at t ∈ [0, 1], piecewise linear through the three stops.
    @inline(__always)
    func color(_ t: Float) -> SIMD4<Float> {
        let lower = min(t * 2, 1), upper = max(t * 2 - 1, 0)
        return dark + (middle - dark) * lower + (light - middle) * upper
    }

    /// `projectionCount` values in (0, 1): the embedding projected on fixed random directions
    /// (Johnson–Lindenstrauss), normalised by its length and squashed by the normal CDF so random
    /// embeddings spread evenly.
    private static func projections(_ features: [Float]) -> [Float] {
        var norm: Double = 0
        for f in features { norm += Double(f) * Double(f) }
        let scale = norm > 0 ? 1 / norm.squareRoot() : 0
        return (0..<projectionCount).map { k in
            let direction = CounterRandom(seed: 0x1a7e_47a1_a5, stream: UInt64(k))
            var dot: Double = 0
            // Uniform entries of variance 1 (±√3): as good as Gaussian for the projection, and cheap.
            for (j, f) in features.enumerated() { dot += Double(f) * (direction.uniform(UInt64(j)) * 2 - 1) }
            let x = dot * scale * 3.0.squareRoot()
            // Logistic approximation of the normal CDF.
            return Float(1 / (1 + _exp(-1.5976 * x - 0.07056 * x * x * x)))
        }
    }

    /// OKLab colour at `position` (0…1) along the palette's colours; transitions between neighbours
    /// are steepened so most regions sit on a real palette colour rather than a grey mixture.
    private static func paletteColor(position: Float, palette: Palette) -> SIMD3<Double> {
        let colors = palette.colors.isEmpty ? [palette.ink, palette.background] : palette.colors
        guard colors.count > 1 else { return colors[0].oklab }
        let p = Double(min(max(position, 0), 1)) * Double(colors.count - 1)
        let i = min(Int(p), colors.count - 2)
        let f = p - Double(i)
        let s = min(max((f - 0.2) / 0.6, 0), 1)
        let eased = s * s * (3 - 2 * s)
        return colors[i].oklab * (1 - eased) + colors[i + 1].oklab * eased
    }

    private static func shifted(_ lab: SIMD3<Double>, lightness: Double, chroma: Double) -> SIMD3<Double> {
        SIMD3(min(max(lab.x + lightness, 0.06), 0.97), lab.y * chroma, lab.z * chroma)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func _exp(_ x: Double) -> Double { exp(x) }
