import AtlasCore
import Foundation

/// The final size-aware relaxation: regions that overlap by more than `overlap` × the smaller
/// radius push each other apart (the smaller region moves more), then the radii are handed back
/// out in score-rank order so the strongest contexts stay nearest the centre. Each iteration reads
/// the previous positions only, so the result does not depend on the thread count.
///
/// When the regions together are too big for the disc (many contexts, large `regionScale`), no
/// arrangement can honour `overlap`, and pushing would only scramble the layout; their footprints
/// are then shrunk alike until they cover `maximumCoverage` of the disc, so the relaxation evens
/// out crowding instead. The region radii reported by the layout are not changed.
struct RegionRelaxation {
    let radii: [Double]
    let ranks: [Int]
    let overlap: Double
    let iterations: Int

    /// Largest share of the disc the footprints may cover before they are shrunk. Measured on
    /// Gaussian blobs: at 0.8 the pushes tear clusters apart; at 0.35 they stay whole.
    static let maximumCoverage = 0.35

    init(radii: [Double], ranks: [Int], overlap: Double, iterations: Int) {
        let footprint = radii.reduce(0) { $0 + pow($1 * (1 - overlap / 2), 2) }
        let shrink = footprint > Self.maximumCoverage ? (Self.maximumCoverage / footprint).squareRoot() : 1
        self.radii = radii.map { $0 * shrink }
        self.ranks = ranks
        self.overlap = overlap
        self.iterations = iterations
    }

    func relax(_ positions: inout [SIMD2<Double>], threads: Int) {
        let n = positions.count
        guard n > 1, iterations > 0, let largest = radii.max(), largest > 0 else { return }
        let byRank = ranks.indices.sorted { ranks[$0] < ranks[$1] }
        // Cells twice the largest radius: any overlapping pair is in the same or adjacent cells.
        let cell = 2 * largest
        let side = Int((2 / cell).rounded(.up)) + 1
        var moves = [SIMD2<Double>](repeating: .zero, count: n)
        for _ in 0..<iterations {
            let grid = Grid(positions, cell: cell, side: side)
            var anyOverlap = false
            moves.withUnsafeMutableBufferPointer { moves in
                Parallel.forEach(n, threads: threads) { i in
                    moves[i] = push(on: i, positions, grid)
                }
            }
            for i in 0..<n where moves[i] != .zero {
                positions[i] += moves[i]
                anyOverlap = true
            }
            guard anyOverlap else { break }
            restoreRadialOrder(&positions, byRank: byRank)
        }
    }

    /// Half the sum of the separations `i` needs from every region it overlaps too much.
    private func push(on i: Int, _ positions: [SIMD2<Double>], _ grid: Grid) -> SIMD2<Double> {
        var move = SIMD2<Double>.zero
        let p = positions[i], ri = radii[i]
        grid.forEachNear(p) { j in
            guard j != i else { return }
            let rj = radii[j]
            let required = ri + rj - overlap * min(ri, rj)
            let offset = p - positions[j]
            let distance = (offset * offset).sum().squareRoot()
            guard distance < required else { return }
            // Coincident centres separate along a direction fixed by the pair, opposite for each end.
            let direction = distance > 1e-12 ? offset / distance : Self.pairDirection(i, j)
            let share = rj * rj / (ri * ri + rj * rj)
            move += direction * ((required - distance) * share * 0.5)
        }
        return move
    }

    private static func pairDirection(_ i: Int, _ j: Int) -> SIMD2<Double> {
        let angle = CounterRandom(seed: UInt64(min(i, j)), stream: UInt64(max(i, j))).uniform(0) * 2 * .pi
        let direction = SIMD2(cos(angle), sin(angle))
        return i < j ? direction : -direction
    }

    /// Sorts the new radii and gives the smallest to the top-ranked point and so on (angles kept),
    /// shrinking everything back inside the unit disc.
    private func restoreRadialOrder(_ positions: inout [SIMD2<Double>], byRank: [Int]) {
        let lengths = positions.map { ($0 * $0).sum().squareRoot() }
        let sorted = lengths.sorted()
        let scale = 1 / max(1, sorted.last ?? 1)
        for (rank, i) in byRank.enumerated() {
            let length = lengths[i]
            let direction = length > 1e-12 ? positions[i] / length : SIMD2(1, 0)
            positions[i] = direction * (sorted[rank] * scale)
        }
    }
}

/// Points bucketed into square cells over [−1, 1]², for neighbour lookups.
private struct Grid {
    let cell: Double
    let side: Int
    /// Point indices ordered by cell, then index; `starts[c] ..< starts[c + 1]` is cell c.
    let order: [Int]
    let starts: [Int]

    init(_ positions: [SIMD2<Double>], cell: Double, side: Int) {
        self.cell = cell
        self.side = side
        var counts = [Int](repeating: 0, count: side * side + 1)
        let cells = positions.map { Grid.cellIndex($0, cell: cell, side: side) }
        for c in cells { counts[c + 1] += 1 }
        for c in 0..<(side * side) { counts[c + 1] += counts[c] }
        starts = counts
        var fill = counts
        var order = [Int](repeating: 0, count: positions.count)
        for (i, c) in cells.enumerated() {
            order[fill[c]] = i
            fill[c] += 1
        }
        self.order = order
    }

    private static func coordinate(_ value: Double, cell: Double, side: Int) -> Int {
        min(side - 1, max(0, Int(((value + 1) / cell).rounded(.down))))
    }

    private static func cellIndex(_ p: SIMD2<Double>, cell: Double, side: Int) -> Int {
        coordinate(p.y, cell: cell, side: side) * side + coordinate(p.x, cell: cell, side: side)
    }

    func forEachNear(_ p: SIMD2<Double>, _ body: (Int) -> Void) {
        let cx = Grid.coordinate(p.x, cell: cell, side: side), cy = Grid.coordinate(p.y, cell: cell, side: side)
        for y in max(0, cy - 1)...min(side - 1, cy + 1) {
            for x in max(0, cx - 1)...min(side - 1, cx + 1) {
                let c = y * side + x
                for slot in starts[c]..<starts[c + 1] { body(order[slot]) }
            }
        }
    }
}
