/// Louvain modularity clustering of the fuzzy graph: move single nodes to the neighbouring
/// community with the best modularity gain until nothing moves, merge communities into nodes, and
/// repeat. Nodes are visited in index order and ties keep the lower community, so it is deterministic.
enum ModularityClustering {
    /// A community id per node, numbered by size (largest first, then by lowest member).
    static func communities(of graph: FuzzyGraph, resolution: Double) -> [Int] {
        let n = graph.count
        var level = Level(count: n, rows: graph.rows.map(Int.init), columns: graph.columns.map(Int.init), weights: graph.weights)
        var membership = Array(0..<n)
        for _ in 0..<32 {
            let (moved, assignment) = level.localMoves(resolution: resolution)
            membership = membership.map { assignment[$0] }
            guard moved else { break }
            level = level.aggregated(by: assignment)
        }
        return renumberedBySize(membership)
    }

    private static func renumberedBySize(_ membership: [Int]) -> [Int] {
        var members: [Int: [Int]] = [:]
        for (node, community) in membership.enumerated() { members[community, default: []].append(node) }
        let ordered = members.values.sorted { $0.count > $1.count || ($0.count == $1.count && $0[0] < $1[0]) }
        var result = [Int](repeating: 0, count: membership.count)
        for (id, nodes) in ordered.enumerated() {
            for node in nodes { result[node] = id }
        }
        return result
    }

    /// One level of the hierarchy: a weighted graph in adjacency lists (self-loops allowed).
    private struct Level {
        let count: Int
        var neighbors: [[(node: Int, weight: Double)]]
        var selfLoops: [Double]
        var degrees: [Double]
        var total: Double

        init(count: Int, rows: [Int], columns: [Int], weights: [Double]) {
            var neighbors = [[(node: Int, weight: Double)]](repeating: [], count: count)
            var selfLoops = [Double](repeating: 0, count: count)
            for e in rows.indices {
                if rows[e] == columns[e] { selfLoops[rows[e]] += weights[e] } else {
                    neighbors[rows[e]].append((columns[e], weights[e]))
                }
            }
            self.count = count
            self.neighbors = neighbors
            self.selfLoops = selfLoops
            degrees = (0..<count).map { node in neighbors[node].reduce(selfLoops[node]) { $0 + $1.weight } }
            total = degrees.reduce(0, +)
        }

        /// Local moving phase; returns whether any node changed community and the compacted assignment.
        func localMoves(resolution: Double) -> (Bool, [Int]) {
            var community = Array(0..<count)
            var communityDegree = degrees
            guard total > 0 else { return (false, community) }
            var linkWeight = [Double](repeating: 0, count: count)
            var touched: [Int] = []
            var movedAny = false
            for _ in 0..<100 {
                var moves = 0
                for node in 0..<count {
                    let own = community[node], degree = degrees[node]
                    for (other, weight) in neighbors[node] {
                        let c = community[other]
                        if linkWeight[c] == 0 { touched.append(c) }
                        linkWeight[c] += weight
                    }
                    communityDegree[own] -= degree
                    // Gain of joining c (up to terms common to every choice): w(node, c) − γ·k·K_c / 2m.
                    func gain(_ c: Int) -> Double { linkWeight[c] - resolution * degree * communityDegree[c] / total }
                    var best = own, bestGain = gain(own)
                    for c in touched where c != own {
                        let g = gain(c)
                        if g > bestGain + 1e-12 || (abs(g - bestGain) <= 1e-12 && c < best && best != own) {
                            best = c
                            bestGain = g
                        }
                    }
                    communityDegree[best] += degree
                    if best != own {
                        community[node] = best
                        moves += 1
                    }
                    for c in touched { linkWeight[c] = 0 }
                    touched.removeAll(keepingCapacity: true)
                }
                if moves == 0 { break }
                movedAny = true
            }
            var compact: [Int: Int] = [:]
            let assignment = community.map { c in
                if let id = compact[c] { return id }
                compact[c] = compact.count
                return compact.count - 1
            }
            return (movedAny, assignment)
        }

        /// Communities become nodes; edge weights between them add up.
        func aggregated(by assignment: [Int]) -> Level {
            let groups = (assignment.max() ?? -1) + 1
            var merged: [Int: Double] = [:]
            for node in 0..<count {
                let a = assignment[node]
                merged[a * groups + a, default: 0] += selfLoops[node]
                for (other, weight) in neighbors[node] { merged[a * groups + assignment[other], default: 0] += weight }
            }
            let keys = merged.keys.sorted()
            return Level(count: groups, rows: keys.map { $0 / groups }, columns: keys.map { $0 % groups },
                         weights: keys.map { merged[$0]! })
        }
    }
}
