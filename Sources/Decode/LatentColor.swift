import AtlasCore

/// The latent canvas stores OKLab plus a highlight amount, rescaled so clean colours span about
/// −1…1 like the unit-variance noise they are mixed with (what a VAE's scale factor does).
enum LatentColor {
    static let lightnessCenter: Float = 0.5
    static let lightnessScale: Float = 2
    static let chromaScale: Float = 4

    /// Latent texel of an OKLab colour with highlight amount `highlight` (0…1).
    @inline(__always)
    static func encode(oklab: SIMD3<Float>, highlight: Float) -> SIMD4<Float> {
        SIMD4((oklab.x - lightnessCenter) * lightnessScale, oklab.y * chromaScale, oklab.z * chromaScale,
              highlight * 2 - 1)
    }

    static func encode(_ color: RGBColor, highlight: Float = 0) -> SIMD4<Float> {
        let lab = color.oklab
        return encode(oklab: SIMD3(Float(lab.x), Float(lab.y), Float(lab.z)), highlight: highlight)
    }

    /// OKLab of a latent texel (the highlight channel is ignored).
    @inline(__always)
    static func oklab(_ texel: SIMD4<Float>) -> SIMD3<Float> {
        SIMD3(texel.x / lightnessScale + lightnessCenter, texel.y / chromaScale, texel.z / chromaScale)
    }

    /// Highlight amount 0…1 of a latent texel.
    @inline(__always)
    static func highlight(_ texel: SIMD4<Float>) -> Float {
        min(max((texel.w + 1) * 0.5, 0), 1)
    }
}
