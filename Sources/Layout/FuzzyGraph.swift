import Foundation

/// UMAP's fuzzy simplicial set: per-point ρ/σ calibration of the kNN distances, then the fuzzy
/// union W = A + Aᵀ − A∘Aᵀ. Stored symmetric (both directions), rows ascending, columns ascending.
struct FuzzyGraph: Sendable {
    let count: Int
    var rows: [Int32]
    var columns: [Int32]
    var weights: [Double]

    /// `neighbors` excludes each point itself; `nNeighbors` counts it, as umap-learn's `n_neighbors` does.
    init(_ neighbors: NeighborGraph, nNeighbors: Int) {
        count = neighbors.count
        let n = neighbors.count, k = neighbors.k
        // umap-learn's distance rows start with the point itself at distance 0.
        let columnCount = k + 1
        let target = log2(Double(min(nNeighbors, columnCount)))
        let meanDistance = n > 0 && k > 0
            ? neighbors.distances.reduce(0.0) { $0 + Double($1) } / Double(n * columnCount) : 0
        var directed: [(key: UInt64, weight: Double)] = []
        directed.reserveCapacity(2 * n * k)
        for i in 0..<n {
            let distances = (0..<k).map { Double(neighbors.distances[i * k + $0]) }
            let rho = distances.first(where: { $0 > 0 }) ?? 0
            let sigma = FuzzyGraph.sigma(distances, rho: rho, target: target,
                                         floor: 1e-3 * (rho > 0 ? distances.reduce(0, +) / Double(columnCount) : meanDistance))
            for slot in 0..<k {
                let j = Int(neighbors.indices[i * k + slot])
                let excess = distances[slot] - rho
                let strength = excess <= 0 || sigma == 0 ? 1 : exp(-excess / sigma)
                directed.append((UInt64(i) << 32 | UInt64(j), strength))
                directed.append((UInt64(j) << 32 | UInt64(i), strength))
            }
        }
        directed.sort { $0.key < $1.key }
        rows = []
        columns = []
        weights = []
        var index = 0
        while index < directed.count {
            let key = directed[index].key
            var weight = directed[index].weight
            // A pair listed from both ends: one entry is A_ij, the other A_ji.
            if index + 1 < directed.count, directed[index + 1].key == key {
                let other = directed[index + 1].weight
                weight = weight + other - weight * other
                index += 1
            }
            index += 1
            guard weight > 0 else { continue }
            rows.append(Int32(key >> 32))
            columns.append(Int32(key & 0xffff_ffff))
            weights.append(weight)
        }
    }

    /// Binary search for σ with Σ exp(−max(0, d − ρ)/σ) = log2 k (64 steps, tolerance 1e-5, as umap-learn).
    private static func sigma(_ distances: [Double], rho: Double, target: Double, floor: Double) -> Double {
        var low = 0.0, high = Double.infinity, mid = 1.0
        for _ in 0..<64 {
            // The point itself (distance 0) is column 0 and is skipped, as in umap-learn.
            var sum = 0.0
            for d in distances {
                let excess = d - rho
                sum += excess > 0 ? exp(-excess / mid) : 1
            }
            if abs(sum - target) < 1e-5 { break }
            if sum > target {
                high = mid
                mid = (low + high) / 2
            } else {
                low = mid
                mid = high == .infinity ? mid * 2 : (low + high) / 2
            }
        }
        return max(mid, floor)
    }

    /// The undirected edges `a < b` with their union weights.
    var edges: [Edge] {
        rows.indices.compactMap { e in
            rows[e] < columns[e] ? Edge(a: Int(rows[e]), b: Int(columns[e]), weight: weights[e]) : nil
        }
    }
}
