import AtlasCore

/// Where a region reaches and how much it counts in the fusion, per window texel.
///
/// Coverage is 1 inside, falling smoothly to 0 across a band of `feather × radius` around an outline
/// that wobbles with the region's own noise (never a perfect disc unless `edgeWobble` is 0; a hard
/// edge only when `feather` is 0). The fusion weight is the coverage times a falloff from the
/// centre, so where regions overlap the one whose centre is nearer (relative to its size) leads and
/// each stays legible, instead of every overlap averaging to mud.
struct RegionMask: Sendable {
    let coverage: [Float]
    let weight: [Float]

    /// How far beyond the radius a mask can reach, as a fraction of the radius.
    static func reach(_ settings: DecodeSettings) -> Double {
        (1 + outlineNoiseLimit * settings.edgeWobble) * (1 + settings.feather / 2)
    }

    /// The outline noise is clamped to ±this, so the window always holds the whole mask (no seam).
    private static let outlineNoiseLimit = 1.5

    init(window: RegionWindow, settings: DecodeSettings) {
        let rect = window.rect
        var coverage = [Float](repeating: 0, count: rect.width * rect.height)
        var weight = coverage
        let outline = LatticeNoise(seed: window.region.seed, stream: 21)
        let cx = Float(window.center.x), cy = Float(window.center.y), r = Float(window.radius)
        let wobble = Float(settings.edgeWobble), feather = Float(settings.feather)
        let sharpness = Float(settings.blendSharpness)
        let limit = Float(RegionMask.outlineNoiseLimit)
        coverage.withUnsafeMutableBufferPointer { out in
        weight.withUnsafeMutableBufferPointer { fusion in
            for y in 0..<rect.height {
                for x in 0..<rect.width {
                    let qx = Float(rect.x + x) + 0.5 - cx, qy = Float(rect.y + y) + 0.5 - cy
                    let d = (qx * qx + qy * qy).squareRoot()
                    // Noise sampled on the unit circle of directions: a smooth, closed outline.
                    let inv = d > 0 ? 1 / d : 0
                    let wave = min(max(outline.fractal(qx * inv, qy * inv, octaves: 2), -limit), limit)
                    let edge = r * (1 + wobble * wave)
                    let value: Float
                    if feather > 0 {
                        let s = min(max((d - edge * (1 - feather / 2)) / (edge * feather), 0), 1)
                        value = 1 - s * s * (3 - 2 * s)
                    } else {
                        value = d < edge ? 1 : 0
                    }
                    let relative = d / max(r, 1e-6)
                    out[y * rect.width + x] = value
                    fusion[y * rect.width + x] = value * _expf(-sharpness * relative * relative)
                }
            }
        }
        }
        self.coverage = coverage
        self.weight = weight
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func _expf(_ x: Float) -> Float { exp(x) }
