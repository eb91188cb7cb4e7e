import AtlasCore

/// A region's fusion weight per window texel: 1 inside, falling smoothly to 0 across a band of
/// `feather × radius` around an outline that wobbles with the region's own noise (never a perfect
/// disc unless `edgeWobble` is 0; a hard edge only when `feather` is 0).
enum RegionMask {
    /// How far beyond the radius a mask can reach, as a fraction of the radius.
    static func reach(_ settings: DecodeSettings) -> Double {
        1 + settings.edgeWobble + settings.feather / 2
    }

    static func weights(for window: RegionWindow, settings: DecodeSettings) -> [Float] {
        let rect = window.rect
        var mask = [Float](repeating: 0, count: rect.width * rect.height)
        let outline = LatticeNoise(seed: window.region.seed, stream: 21)
        let cx = Float(window.center.x), cy = Float(window.center.y), r = Float(window.radius)
        let wobble = Float(settings.edgeWobble), feather = Float(settings.feather)
        mask.withUnsafeMutableBufferPointer { out in
            for y in 0..<rect.height {
                for x in 0..<rect.width {
                    let qx = Float(rect.x + x) + 0.5 - cx, qy = Float(rect.y + y) + 0.5 - cy
                    let d = (qx * qx + qy * qy).squareRoot()
                    // Noise sampled on the unit circle of directions: a smooth, closed outline.
                    let inv = d > 0 ? 1 / d : 0
                    let edge = r * (1 + wobble * outline.fractal(qx * inv, qy * inv, octaves: 2))
                    let value: Float
                    if feather > 0 {
                        let s = min(max((d - edge * (1 - feather / 2)) / (edge * feather), 0), 1)
                        value = 1 - s * s * (3 - 2 * s)
                    } else {
                        value = d < edge ? 1 : 0
                    }
                    out[y * rect.width + x] = value
                }
            }
        }
        return mask
    }

    /// The region's weight in the fusion: its mask, times how central the texel is to it raised to
    /// `fusionSharpness`. Deep inside overlaps, plain mask weights are all 1 and the average turns
    /// to mud; with centrality the nearer region wins smoothly, like a soft power diagram, so each
    /// keeps its form. Identical regions still fuse to exactly one.
    static func fusionWeights(for window: RegionWindow, mask: [Float], settings: DecodeSettings) -> [Float] {
        let sharpness = Float(settings.fusionSharpness)
        guard sharpness > 1 else { return mask }
        let rect = window.rect
        let cx = Float(window.center.x), cy = Float(window.center.y)
        let extent = Float(window.radius * reach(settings))
        var weights = mask
        weights.withUnsafeMutableBufferPointer { out in
            for y in 0..<rect.height {
                for x in 0..<rect.width {
                    let i = y * rect.width + x
                    guard out[i] > 0 else { continue }
                    let qx = Float(rect.x + x) + 0.5 - cx, qy = Float(rect.y + y) + 0.5 - cy
                    let centrality = max(1 - (qx * qx + qy * qy).squareRoot() / extent, 1e-3)
                    out[i] *= powf(centrality, sharpness - 1)
                }
            }
        }
        return weights
    }
}

#if canImport(Glibc)
import Glibc
#endif
