#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AtlasCore

/// What a region looks like. Its hue family comes from its cluster (so clusters read as areas);
/// its embedding varies the paper's lightness, chroma and a small hue accent within the family and
/// sets the texture. Ink is the family's hue at `ink_contrast` lightness away from the paper, so
/// the words stay legible. No family is near the highlight colour: that colour means "activating".
struct RegionLook: Sendable {
    /// Paper ramp in latent units (highlight channel −1): dark, middle and light stops.
    var dark: SIMD4<Float>
    var middle: SIMD4<Float>
    var light: SIMD4<Float>
    /// Ink in latent units, and paper and ink in OKLab (for the print-resolution letters).
    var ink: SIMD4<Float>
    var paperLab: SIMD3<Float>
    var inkLab: SIMD3<Float>
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

    init(features: [Float], cluster: Int, families: [SIMD3<Double>], settings: DecodeSettings) {
        let u = RegionLook.projections(features)
        let base = families[((cluster % families.count) + families.count) % families.count]
        // Within the family: lightness ±0.06, chroma ×0.8…1.2, hue ±0.15 rad.
        let chroma = (base.y * base.y + base.z * base.z).squareRoot() * (0.8 + 0.4 * Double(u[1]))
        let hue = atan2(base.z, base.y) + (Double(u[2]) - 0.5) * 0.3
        let lightness = min(max(base.x + (Double(u[0]) - 0.5) * 0.12, 0.2), 0.95)
        let paper = SIMD3(lightness, chroma * cos(hue), chroma * sin(hue))
        let contrast = settings.inkContrast
        // Dark paper takes light ink and light paper dark ink, whichever leaves more room.
        let inkLightness = lightness >= 0.56 ? max(lightness - contrast, 0.08) : min(lightness + contrast, 0.97)
        let inkChroma = lightness >= 0.56 ? 0.6 : 0.25
        let inkColor = SIMD3(inkLightness, paper.y * inkChroma, paper.z * inkChroma)
        paperLab = SIMD3(Float(paper.x), Float(paper.y), Float(paper.z))
        inkLab = SIMD3(Float(inkColor.x), Float(inkColor.y), Float(inkColor.z))
        ink = LatentColor.encode(oklab: inkLab, highlight: 0)
        self.contrast = 0.75 + 0.6 * u[3]
        let spread = 0.05 * settings.textureStrength * Double(self.contrast)
        dark = LatentColor.encode(oklab: RegionLook.float(RegionLook.shifted(paper, lightness: -spread)), highlight: 0)
        middle = LatentColor.encode(oklab: paperLab, highlight: 0)
        light = LatentColor.encode(oklab: RegionLook.float(RegionLook.shifted(paper, lightness: spread)), highlight: 0)
        frequency = 0.6 + 1.1 * u[4]
        angle = u[5] * .pi
        anisotropy = 1 + 2.5 * u[6] * u[6]
        warp = 0.15 + 1.1 * u[7]
        let weights = SIMD3<Float>(u[8], u[9], u[10])
        let sharpened = weights * weights * weights * weights + SIMD3(repeating: 0.02)
        family = sharpened / sharpened.sum()
        steepness = 3 + 5 * u[3]
    }

    /// The palette's colours that can be a cluster's family: all but those whose hue is near the
    /// highlight colour's (when both are chromatic), so nothing but highlighted words wears it.
    static func families(_ palette: Palette) -> [SIMD3<Double>] {
        let h = palette.highlight.oklab
        let hc = (h.y * h.y + h.z * h.z).squareRoot()
        let all = (palette.colors.isEmpty ? [palette.ink, palette.background] : palette.colors).map(\.oklab)
        let kept = all.filter { c in
            let cc = (c.y * c.y + c.z * c.z).squareRoot()
            guard cc > 0.04, hc > 0.04 else { return true }
            let cosine = (c.y * h.y + c.z * h.z) / (cc * hc)
            return cosine < cos(0.6)
        }
        return kept.isEmpty ? all.map { SIMD3($0.x, 0, 0) } : kept
    }

    private static func float(_ v: SIMD3<Double>) -> SIMD3<Float> { SIMD3(Float(v.x), Float(v.y), Float(v.z)) }

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
            return Float(1 / (1 + exp(-1.5976 * x - 0.07056 * x * x * x)))
        }
    }

    private static func shifted(_ lab: SIMD3<Double>, lightness: Double) -> SIMD3<Double> {
        SIMD3(min(max(lab.x + lightness, 0.04), 0.98), lab.y, lab.z)
    }
}
