#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AtlasCore

/// The regions' cells: a power (radius-weighted Voronoi) diagram of the region centres clipped to
/// the atlas disc, so the regions tile the disc as one tapestry with no paper between them.
/// Pixel p belongs to the cell minimising |p − cᵢ|² − wᵢ. `balanced` chooses the weights so each
/// cell's area is proportional to its region's area (rᵢ²): the strongest contexts, which the layout
/// gives the largest radii and puts at the centre, get the largest cells, whatever the local density.
/// Within `seam` pixels of the border between two cells the pair shares the pixel softly.
public struct PowerDiagram: Sendable {
    public let centers: [SIMD2<Double>]
    /// Power weight of each cell (pixels²).
    public let weights: [Double]
    public let discCenter: SIMD2<Double>
    public let discRadius: Double
    /// Half-width of the soft border between neighbouring cells, in pixels.
    public let seam: Double

    /// The plain power diagram of circles: weights rᵢ².
    public init(centers: [SIMD2<Double>], radii: [Double], discCenter: SIMD2<Double>, discRadius: Double, seam: Double) {
        precondition(centers.count == radii.count, "one radius per centre")
        self.init(centers: centers, weights: radii.map { $0 * $0 }, discCenter: discCenter, discRadius: discRadius, seam: seam)
    }

    public init(centers: [SIMD2<Double>], weights: [Double], discCenter: SIMD2<Double>, discRadius: Double, seam: Double) {
        precondition(centers.count == weights.count, "one weight per centre")
        self.centers = centers
        self.weights = weights
        self.discCenter = discCenter
        self.discRadius = discRadius
        self.seam = max(seam, 0)
    }

    /// A diagram whose cells share the disc in proportion to rᵢ² (a capacity-constrained power
    /// diagram: by Aurenhammer, Hoffmann and Aronov's theorem such weights exist, unique up to a
    /// constant, for any sites). The weights maximise a concave function whose gradient is
    /// (target − area) and whose Hessian is the cells' adjacency Laplacian, edge length / (2·|cᵢ − cⱼ|)
    /// (semi-discrete optimal transport), so damped Newton steps converge in a few iterations.
    /// The result is a pure function of the input, whatever the thread count.
    public static func balanced(centers: [SIMD2<Double>], radii: [Double], discCenter: SIMD2<Double>, discRadius: Double,
                                seam: Double, iterations: Int = 30, threads: Int = 1) -> PowerDiagram {
        let n = centers.count
        guard n > 1 else {
            return PowerDiagram(centers: centers, radii: radii, discCenter: discCenter, discRadius: discRadius, seam: seam)
        }
        let disc = Double.pi * discRadius * discRadius
        let total = radii.reduce(0) { $0 + $1 * $1 }
        let targets = radii.map { total > 0 ? disc * $0 * $0 / total : disc / Double(n) }
        var weights = radii.map { $0 * $0 }
        func evaluate(_ w: [Double]) -> [Cell] {
            let diagram = PowerDiagram(centers: centers, weights: w, discCenter: discCenter, discRadius: discRadius, seam: seam)
            return Parallel.map(n, threads: threads) { diagram.cell($0, sides: 128) }
        }
        func worst(_ cells: [Cell]) -> Double {
            (0..<n).map { abs(targets[$0] - PowerDiagram.area(cells[$0].polygon)) / targets[$0] }.max() ?? 0
        }
        var cells = evaluate(weights)
        var error = worst(cells)
        for _ in 0..<iterations where error > 0.005 {
            let step = newtonStep(cells: cells, targets: targets, centers: centers)
            var scale = 1.0
            var accepted = false
            while scale > 1e-3 {
                let trial = zip(weights, step).map { $0 + scale * $1 }
                let trialCells = evaluate(trial)
                let trialError = worst(trialCells)
                if trialError < error {
                    weights = trial; cells = trialCells; error = trialError
                    accepted = true
                    break
                }
                scale /= 2
            }
            if !accepted { break }
        }
        return PowerDiagram(centers: centers, weights: weights, discCenter: discCenter, discRadius: discRadius, seam: seam)
    }

    /// Solves H·δ = target − area for the weight step (H: the cells' adjacency Laplacian plus a
    /// small diagonal that pins the free constant and grows cells with no neighbours), by conjugate
    /// gradients on the sparse matrix.
    private static func newtonStep(cells: [Cell], targets: [Double], centers: [SIMD2<Double>]) -> [Double] {
        let n = cells.count
        var neighbours = [[(Int, Double)]](repeating: [], count: n)
        for i in 0..<n {
            var lengths: [Int: Double] = [:]
            let p = cells[i].polygon
            for k in p.indices where cells[i].edges[k] >= 0 {
                let a = p[k], b = p[(k + 1) % p.count]
                lengths[Int(cells[i].edges[k]), default: 0] += ((b - a) * (b - a)).sum().squareRoot()
            }
            for (j, length) in lengths.sorted(by: { $0.key < $1.key }) {
                let d = ((centers[j] - centers[i]) * (centers[j] - centers[i])).sum().squareRoot()
                neighbours[i].append((j, length / (2 * max(d, 1e-9))))
            }
        }
        let gradient = (0..<n).map { targets[$0] - PowerDiagram.area(cells[$0].polygon) }
        var diagonal = neighbours.map { $0.reduce(0) { $0 + $1.1 } }
        let mean = diagonal.reduce(0, +) / Double(n)
        diagonal = diagonal.map { $0 + max(mean, 1e-6) * 1e-3 + ($0 == 0 ? max(mean, 1e-6) : 0) }
        func apply(_ x: [Double]) -> [Double] {
            (0..<n).map { i in diagonal[i] * x[i] - neighbours[i].reduce(0) { $0 + $1.1 * x[$1.0] } }
        }
        var x = [Double](repeating: 0, count: n)
        var r = gradient, p = r
        var rr = r.reduce(0) { $0 + $1 * $1 }
        let stop = rr * 1e-12
        for _ in 0..<(4 * n) where rr > stop {
            let ap = apply(p)
            let alpha = rr / zip(p, ap).reduce(0) { $0 + $1.0 * $1.1 }
            for i in 0..<n { x[i] += alpha * p[i]; r[i] -= alpha * ap[i] }
            let next = r.reduce(0) { $0 + $1 * $1 }
            for i in 0..<n { p[i] = r[i] + next / rr * p[i] }
            rr = next
        }
        return x
    }

    /// Area of a simple polygon (shoelace).
    public static func area(_ p: [SIMD2<Double>]) -> Double {
        guard p.count >= 3 else { return 0 }
        var sum = 0.0
        for k in p.indices {
            let a = p[k], b = p[(k + 1) % p.count]
            sum += a.x * b.y - b.x * a.y
        }
        return abs(sum) / 2
    }

    /// Which cells own each pixel centre of a rectangle, in the same pixels as the diagram.
    public struct CellMap: Sendable {
        public let rect: PixelRect
        /// Owning cell per pixel, or −1 outside the disc.
        public var owner: [Int32]
        /// The owner's share 0.5…1 (1 away from borders); 0 outside the disc.
        public var weight: [Float]
        /// The neighbour sharing the pixel near a border, or −1.
        public var runnerUp: [Int32]
        /// How far inside the disc, in pixels (negative outside): for an antialiased rim.
        public var rim: [Float]
    }

    /// The power distance of pixel `p` to cell `i`.
    @inline(__always)
    func power(_ p: SIMD2<Double>, _ i: Int) -> Double {
        let d = p - centers[i]
        return (d * d).sum() - weights[i]
    }

    /// Cell membership of every pixel centre of `rect` at `zoom` × the diagram's pixels (0.25 for a
    /// latent canvas a quarter of the output). Worked out tile by tile from candidate lists, so it
    /// costs a few power distances per pixel.
    public func cells(in rect: PixelRect, zoom: Double = 1) -> CellMap {
        let count = rect.width * rect.height
        var map = CellMap(rect: rect, owner: [Int32](repeating: -1, count: count), weight: [Float](repeating: 0, count: count),
                          runnerUp: [Int32](repeating: -1, count: count), rim: [Float](repeating: -1, count: count))
        guard count > 0 else { return map }
        let tile = 16
        let inverse = 1 / zoom
        let seamPower = seam
        for ty in stride(from: 0, to: rect.height, by: tile) {
            for tx in stride(from: 0, to: rect.width, by: tile) {
                let w = min(tile, rect.width - tx), h = min(tile, rect.height - ty)
                // The tile in diagram pixels.
                let lo = SIMD2(Double(rect.x + tx), Double(rect.y + ty)) * inverse
                let hi = SIMD2(Double(rect.x + tx + w), Double(rect.y + ty + h)) * inverse
                let candidates = self.candidates(lo: lo, hi: hi)
                for y in 0..<h {
                    for x in 0..<w {
                        let p = (SIMD2(Double(rect.x + tx + x), Double(rect.y + ty + y)) + 0.5) * inverse
                        let i = (ty + y) * rect.width + tx + x
                        let fromCenter = p - discCenter
                        let rim = (discRadius - (fromCenter * fromCenter).sum().squareRoot()) * zoom
                        map.rim[i] = Float(rim)
                        guard rim > -2, !candidates.isEmpty else { continue }
                        var best = -1, second = -1
                        var bestPower = Double.infinity, secondPower = Double.infinity
                        for c in candidates {
                            let q = power(p, c)
                            if q < bestPower {
                                second = best; secondPower = bestPower
                                best = c; bestPower = q
                            } else if q < secondPower {
                                second = c; secondPower = q
                            }
                        }
                        map.owner[i] = Int32(best)
                        map.weight[i] = 1
                        guard second >= 0, seamPower > 0 else { continue }
                        // Distance to the bisecting line of the two cells, in diagram pixels.
                        let gap = (secondPower - bestPower) / (2 * max(((centers[best] - centers[second]) * (centers[best] - centers[second])).sum().squareRoot(), 1e-9))
                        if gap < seamPower {
                            let s = Float(gap / seamPower)
                            map.weight[i] = 0.5 + 0.5 * s * s * (3 - 2 * s)
                            map.runnerUp[i] = Int32(second)
                        }
                    }
                }
            }
        }
        return map
    }

    /// Cells that can own a pixel of the box (or share it across a seam): every cell whose smallest
    /// power over the box is no larger than the smallest largest-power of any cell, plus the seam.
    func candidates(lo: SIMD2<Double>, hi: SIMD2<Double>) -> [Int] {
        // Boxes wholly outside the disc have no cells.
        let nearest = SIMD2(min(max(discCenter.x, lo.x), hi.x), min(max(discCenter.y, lo.y), hi.y)) - discCenter
        guard (nearest * nearest).sum() <= (discRadius + 3 * seam + 2) * (discRadius + 3 * seam + 2) else { return [] }
        var bound = Double.infinity
        var minima = [Double](repeating: 0, count: centers.count)
        for i in centers.indices {
            let c = centers[i], r2 = weights[i]
            let near = SIMD2(min(max(c.x, lo.x), hi.x), min(max(c.y, lo.y), hi.y)) - c
            let far = SIMD2(max(abs(c.x - lo.x), abs(c.x - hi.x)), max(abs(c.y - lo.y), abs(c.y - hi.y)))
            minima[i] = (near * near).sum() - r2
            bound = min(bound, (far * far).sum() - r2)
        }
        // A runner-up within the seam has power at most 2·seam·|cᵢ − cⱼ| above the owner's;
        // |cᵢ − cⱼ| is bounded by the disc's diameter.
        let margin = 2 * seam * 2 * (discRadius + seam)
        return centers.indices.filter { minima[$0] <= bound + margin }
    }

    /// Cell `i` as a convex polygon (clockwise in y-down pixels), the disc approximated by `sides`
    /// edges: the disc clipped by the half-plane each other cell leaves it.
    public func polygon(_ i: Int, sides: Int = 256) -> [SIMD2<Double>] {
        cell(i, sides: sides).polygon
    }

    /// A cell's polygon and, per edge (from vertex k to k + 1), the neighbour across it (−1: the disc).
    struct Cell {
        var polygon: [SIMD2<Double>]
        var edges: [Int32]
    }

    func cell(_ i: Int, sides: Int) -> Cell {
        var poly = (0..<sides).map { k -> SIMD2<Double> in
            let a = 2 * Double.pi * Double(k) / Double(sides)
            return discCenter + discRadius * SIMD2(cos(a), sin(a))
        }
        var edges = [Int32](repeating: -1, count: sides)
        let ci = centers[i], wi = weights[i]
        // How far the polygon reaches from cᵢ: a neighbour whose border lies beyond it cannot cut.
        func reach() -> Double { poly.map { (($0 - ci) * ($0 - ci)).sum() }.max()?.squareRoot() ?? 0 }
        var extent = reach()
        for j in centers.indices where j != i {
            let cj = centers[j], wj = weights[j]
            let delta = cj - ci
            let distance = (delta * delta).sum().squareRoot()
            guard distance > 0 else {
                // Coincident centres: the heavier weight (then the lower index) takes the whole cell.
                if wj > wi || (wj == wi && j < i) { return Cell(polygon: [], edges: []) }
                continue
            }
            // The border's distance from cᵢ along cᵢ→cⱼ.
            let border = (distance * distance + wi - wj) / (2 * distance)
            guard border < extent else { continue }
            // p is in cell i against j iff 2p·(cj − ci) ≤ |cj|² − wj − |ci|² + wi.
            let n = 2 * delta
            let limit = (cj * cj).sum() - wj - (ci * ci).sum() + wi
            (poly, edges) = Self.clip(poly, edges, normal: n, limit: limit, by: Int32(j))
            if poly.isEmpty { break }
            extent = reach()
        }
        return Cell(polygon: poly, edges: edges)
    }

    private static func clip(_ poly: [SIMD2<Double>], _ edges: [Int32], normal n: SIMD2<Double>, limit: Double,
                             by neighbour: Int32) -> ([SIMD2<Double>], [Int32]) {
        var out: [SIMD2<Double>] = [], tags: [Int32] = []
        out.reserveCapacity(poly.count + 1)
        tags.reserveCapacity(poly.count + 1)
        for k in poly.indices {
            let a = poly[k], b = poly[(k + 1) % poly.count]
            let fa = (n * a).sum() - limit, fb = (n * b).sum() - limit
            if fa <= 0 {
                out.append(a)
                // The edge from a keeps its tag whether it runs to b or to the cut.
                tags.append(edges[k])
            }
            if (fa <= 0) != (fb <= 0) {
                out.append(a + (b - a) * (fa / (fa - fb)))
                // Leaving the half-plane, the edge from the cut point runs along the new border.
                tags.append(fa <= 0 ? neighbour : edges[k])
            }
        }
        return (out, tags)
    }
}
