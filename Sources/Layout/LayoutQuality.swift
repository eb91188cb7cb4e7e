import AtlasCore
import Foundation

/// Measures of how faithful a layout is, for tests and benchmarks.
public enum LayoutQuality {
    /// Trustworthiness@k (as scikit-learn's `trustworthiness`) with cosine distance in the input
    /// space: 1 when every point's k nearest neighbours on the layout are also among its nearest
    /// in the input, lower when the layout brings in strangers. With `sampleRows`, only that many
    /// evenly spaced rows are scored (an estimate for large inputs).
    public static func trustworthiness(
        embeddings: [[Float]], positions: [SIMD2<Double>], k: Int = 10, sampleRows: Int? = nil,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) -> Double {
        let n = positions.count
        precondition(embeddings.count == n, "one embedding per position")
        guard n > 2 * k + 1 else { return 1 }
        let vectors = UnitVectors(rows: embeddings)
        let rows = min(n, sampleRows ?? n)
        var penalties = [Double](repeating: 0, count: rows)
        penalties.withUnsafeMutableBufferPointer { penalties in
            Parallel.forEach(rows, threads: threads) { sample in
                let i = sample * n / rows
                // Rank of every point by input distance from i (the point itself is rank 0).
                let distances = (0..<n).map { $0 == i ? -1 : vectors.distance(i, $0) }
                let order = (0..<n).sorted { distances[$0] < distances[$1] || (distances[$0] == distances[$1] && $0 < $1) }
                var rank = [Int](repeating: 0, count: n)
                for (r, j) in order.enumerated() { rank[j] = r }
                var penalty = 0.0
                for j in nearestOnLayout(i, positions, k: k) where rank[j] > k {
                    penalty += Double(rank[j] - k)
                }
                penalties[sample] = penalty
            }
        }
        let total = penalties.reduce(0, +)
        return 1 - 2 / (Double(rows) * Double(k) * (2 * Double(n) - 3 * Double(k) - 1)) * total
    }

    /// Spearman rank correlation (average ranks for ties); 0 when either side is constant.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "equal lengths")
        let rx = averageRanks(x), ry = averageRanks(y)
        let n = Double(x.count)
        let mx = rx.reduce(0, +) / n, my = ry.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in rx.indices {
            sxy += (rx[i] - mx) * (ry[i] - my)
            sxx += (rx[i] - mx) * (rx[i] - mx)
            syy += (ry[i] - my) * (ry[i] - my)
        }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }

    private static func nearestOnLayout(_ i: Int, _ positions: [SIMD2<Double>], k: Int) -> [Int] {
        var best: [(distance: Double, index: Int)] = []
        for j in positions.indices where j != i {
            let d = positions[i] - positions[j]
            let squared = (d * d).sum()
            if best.count == k, squared >= best[k - 1].distance { continue }
            let slot = best.firstIndex { $0.distance > squared } ?? best.count
            best.insert((squared, j), at: slot)
            if best.count > k { best.removeLast() }
        }
        return best.map(\.index)
    }

    private static func averageRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
            for slot in start...end { ranks[order[slot]] = Double(start + end) / 2 }
            start = end + 1
        }
        return ranks
    }
}
