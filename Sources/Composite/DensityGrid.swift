import AtlasCore
#if canImport(Glibc)
import Glibc
#endif

/// A kernel density estimate of where regions land, on a square grid over the unit disc's bounding
/// square, normalised so the densest cell is 1.
public struct DensityGrid: Sendable, Equatable {
    public let size: Int
    /// `size * size` values, row 0 at the top (y = +1).
    public let values: [Float]
    /// The density that maps to 1 (the densest cell's, unless rescaled to share a scale).
    public let peak: Double

    /// Gaussian kernels at `points` (unit disc, y up) with the given weights; `bandwidth` in unit-disc units.
    public static func estimate(points: [SIMD2<Double>], weights: [Double], bandwidth: Double, size: Int) -> DensityGrid {
        precondition(points.count == weights.count && size > 1)
        var grid = [Double](repeating: 0, count: size * size)
        let cell = 2.0 / Double(size - 1)
        let sigma = max(bandwidth, cell / 2)
        let reach = Int((3 * sigma / cell).rounded(.up))
        for (p, w) in zip(points, weights) where w > 0 && p.x.isFinite && p.y.isFinite {
            let cx = (p.x + 1) / cell, cy = (1 - p.y) / cell
            let x0 = max(0, Int(cx) - reach), x1 = min(size - 1, Int(cx) + reach)
            let y0 = max(0, Int(cy) - reach), y1 = min(size - 1, Int(cy) + reach)
            guard x0 <= x1, y0 <= y1 else { continue }
            let inv = -0.5 / (sigma * sigma)
            for y in y0...y1 {
                let dy = (Double(y) - cy) * cell
                for x in x0...x1 {
                    let dx = (Double(x) - cx) * cell
                    grid[y * size + x] += w * exp((dx * dx + dy * dy) * inv)
                }
            }
        }
        let peak = grid.max() ?? 0
        return DensityGrid(size: size, values: grid.map { peak > 0 ? Float($0 / peak) : 0 }, peak: peak)
    }

    /// The same density on a scale where `peak` maps to 1 (a pair's two atlases share the higher peak).
    public func normalised(toPeak newPeak: Double) -> DensityGrid {
        guard newPeak > 0, newPeak != peak else { return self }
        let f = Float(peak / newPeak)
        return DensityGrid(size: size, values: values.map { $0 * f }, peak: newPeak)
    }

    /// Bilinear sample at a unit-square coordinate (0…1 across, 0…1 down).
    @inlinable
    public func sample(u: Double, v: Double) -> Float {
        guard u >= 0, u <= 1, v >= 0, v <= 1 else { return 0 }
        let fx = u * Double(size - 1), fy = v * Double(size - 1)
        let x = min(Int(fx), size - 2), y = min(Int(fy), size - 2)
        let tx = Float(fx - Double(x)), ty = Float(fy - Double(y))
        let a = values[y * size + x], b = values[y * size + x + 1]
        let c = values[(y + 1) * size + x], d = values[(y + 1) * size + x + 1]
        return (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty
    }
}
