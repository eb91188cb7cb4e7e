/// The decoder's procedural print-resolution detail: what a 100 % crop of a print shows below the
/// latent's resolution. Everything is a pure function of the output pixel and the latent there.
///
/// - brush marks: streaky noise running along the isophotes of the latent's lightness, blended from
///   four fixed orientations (fixed frames, so there is no swirl far from the origin);
/// - grain and a faint chroma tint whose coordinates are pushed around by the latent itself, so
///   they flow with the painted forms instead of sitting on top.
struct PrintDetail: Sendable {
    let strength: Float
    private let marks: LatticeNoise
    private let grain: LatticeNoise
    private let tint: LatticeNoise

    init(strength: Double, seed: UInt64) {
        self.strength = Float(strength)
        marks = LatticeNoise(seed: seed, stream: 32)
        grain = LatticeNoise(seed: seed, stream: 33)
        tint = LatticeNoise(seed: seed, stream: 34)
    }

    /// Adds marks, grain and tint to an OKLab colour.
    @inline(__always)
    func apply(_ lab: SIMD3<Float>, texel: SIMD4<Float>, gx: Float, gy: Float, px: Float, py: Float) -> SIMD3<Float> {
        // cos 2φ and sin 2φ of the isophote direction, fading to "no preference" where flat.
        let g2 = gx * gx + gy * gy
        let inv = 1 / (g2 + 0.0004)
        let c2 = (gy * gy - gx * gx) * inv, s2 = -2 * gx * gy * inv
        var w = SIMD4<Float>(c2, s2, -c2, -s2)
        w = pointwiseMax(w, SIMD4<Float>())
        w = w * w + SIMD4(repeating: 0.08)
        w /= w.sum()
        let wx = texel.x * 3, wy = (texel.y + texel.z) * 3
        let diagonal: Float = 0.70710678
        let a = (px + py) * diagonal, b = (py - px) * diagonal
        // Along the mark at 1/18 px⁻¹, across at 1/2.5 px⁻¹.
        let m0 = marks.gradient(px * 0.055 + wx, py * 0.4 + wy)
        let m1 = marks.gradient(a * 0.055 + 13.1 + wx, b * 0.4 + wy)
        let m2 = marks.gradient(py * 0.055 + 27.7 + wx, -px * 0.4 + wy)
        let m3 = marks.gradient(-b * 0.055 + 39.3 + wx, a * 0.4 + wy)
        let brush = w.x * m0 + w.y * m1 + w.z * m2 + w.w * m3
        let fine = grain.gradient(px * 0.45 + wx, py * 0.45 + wy)
        let broad = tint.gradient(px * 0.02 - wy, py * 0.02 + wx)
        var out = lab
        out.x += strength * (0.07 * brush + 0.02 * fine + 0.03 * broad)
        out.y += strength * 0.012 * broad
        out.z -= strength * 0.012 * brush
        return out
    }
}
