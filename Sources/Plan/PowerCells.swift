import AtlasCore

/// Stand-in for the decoder's power diagram until it is public (same formula): owner of a pixel
/// centre p = argmin_i |p − c_i|² − r_i² inside the atlas disc, and near the border with the
/// runner-up j a soft weight 0.5…1 that ramps with the distance to the power bisector over `seam` px.
struct PowerCells {
    let centers: [SIMD2<Double>]
    let radii: [Double]
    let discCenter: SIMD2<Double>
    let discRadius: Double
    let seam: Double

    init(plan: RegionPlan) {
        centers = plan.regions.map(\.centerPoint)
        radii = plan.regions.map(\.radius)
        discCenter = plan.disc.centerPoint
        discRadius = plan.disc.radius
        seam = plan.seam
    }

    struct CellMap {
        var rect: PixelRect
        var owner: [Int32]
        var weight: [Float]
        var runnerUp: [Int32]
    }

    func cells(in rect: PixelRect) -> CellMap {
        let n = rect.width * rect.height
        var owner = [Int32](repeating: -1, count: n), runnerUp = owner
        var weight = [Float](repeating: 1, count: n)
        let r2 = radii.map { $0 * $0 }
        for y in 0..<rect.height {
            for x in 0..<rect.width {
                let p = SIMD2(Double(rect.x + x) + 0.5, Double(rect.y + y) + 0.5)
                let q = p - discCenter
                guard (q * q).sum() <= discRadius * discRadius, !centers.isEmpty else { continue }
                var best = -1, second = -1
                var d1 = Double.infinity, d2 = Double.infinity
                for i in centers.indices {
                    let d = p - centers[i]
                    let power = (d * d).sum() - r2[i]
                    if power < d1 { d2 = d1; second = best; d1 = power; best = i } else if power < d2 { d2 = power; second = i }
                }
                let k = y * rect.width + x
                owner[k] = Int32(best)
                guard second >= 0, seam > 0 else { continue }
                let gap = centers[best] - centers[second]
                let separation = (gap * gap).sum().squareRoot()
                // Distance from p to the power bisector of the two cells.
                let distance = separation > 0 ? (d2 - d1) / (2 * separation) : 0
                if distance < seam {
                    weight[k] = Float(0.5 + 0.5 * distance / seam)
                    runnerUp[k] = Int32(second)
                }
            }
        }
        return CellMap(rect: rect, owner: owner, weight: weight, runnerUp: runnerUp)
    }
}
