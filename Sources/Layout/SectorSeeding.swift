import Foundation

/// Starting angles for the constrained layout. On rings a cluster cannot slide past another (it
/// would have to cross its neighbours' repulsion), so the starting order matters: each cluster gets
/// a sector proportional to its size, sectors follow the angle of their cluster's centre in the
/// PCA projection, and inside a sector members are spread along the cluster's own main PCA axis.
enum SectorSeeding {
    static func angles(projection: [SIMD2<Double>], clusters: [Int]) -> [Double] {
        let n = projection.count
        let clusterCount = (clusters.max() ?? -1) + 1
        var members = [[Int]](repeating: [], count: clusterCount)
        for (point, cluster) in clusters.enumerated() { members[cluster].append(point) }
        let centres = members.map { group in group.reduce(SIMD2<Double>.zero) { $0 + projection[$1] } / Double(max(1, group.count)) }
        let order = (0..<clusterCount).sorted {
            let a = atan2(centres[$0].y, centres[$0].x), b = atan2(centres[$1].y, centres[$1].x)
            return a < b || (a == b && $0 < $1)
        }
        var angles = [Double](repeating: 0, count: n)
        guard let first = order.first else { return angles }
        // Centre the first sector on its cluster's own direction so the whole fan follows the PCA.
        var start = atan2(centres[first].y, centres[first].x) - Double.pi * Double(members[first].count) / Double(n)
        for cluster in order {
            let group = members[cluster]
            let width = 2 * Double.pi * Double(group.count) / Double(n)
            let axis = mainAxis(group.map { projection[$0] - centres[cluster] })
            let along = group.sorted {
                let a = (projection[$0] * axis).sum(), b = (projection[$1] * axis).sum()
                return a < b || (a == b && $0 < $1)
            }
            for (slot, point) in along.enumerated() {
                angles[point] = start + width * (Double(slot) + 0.5) / Double(group.count)
            }
            start += width
        }
        return angles
    }

    /// Unit direction of largest variance of centred 2-D points (x axis when there is none).
    private static func mainAxis(_ points: [SIMD2<Double>]) -> SIMD2<Double> {
        var xx = 0.0, xy = 0.0, yy = 0.0
        for p in points {
            xx += p.x * p.x
            xy += p.x * p.y
            yy += p.y * p.y
        }
        let angle = 0.5 * atan2(2 * xy, xx - yy)
        return SIMD2(cos(angle), sin(angle))
    }
}
