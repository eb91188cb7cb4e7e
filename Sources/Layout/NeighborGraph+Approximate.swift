import AtlasCore

extension NeighborGraph {
    /// Approximate search for large inputs: candidates from a forest of angular random-projection
    /// trees, then NN-descent rounds ("a neighbour of a neighbour is probably a neighbour").
    /// Each round reads the previous graph and writes only its own rows, so it is deterministic
    /// at any thread count.
    static func approximate(_ vectors: UnitVectors, k: Int, seed: UInt64, threads: Int) -> NeighborGraph {
        let n = vectors.count
        var graph = NeighborGraph(count: n, k: k)
        guard k > 0 else { return graph }
        let treeCount = min(24, 6 + Int(Double(n).squareRoot() / 40))
        let leafSize = max(2 * k, 32)
        var leaves = [[[Int32]]](repeating: [], count: treeCount)
        leaves.withUnsafeMutableBufferPointer { forest in
            Parallel.forEach(treeCount, threads: threads) { tree in
                let random = CounterRandom(seed: seed, stream: 0x7472_6565 &+ UInt64(tree))
                forest[tree] = RandomProjectionTree.leaves(vectors, leafSize: leafSize, random: random)
            }
        }
        var leafOf = [[Int32]](repeating: [Int32](repeating: 0, count: n), count: treeCount)
        for tree in 0..<treeCount {
            for (leaf, rows) in leaves[tree].enumerated() {
                for row in rows { leafOf[tree][Int(row)] = Int32(leaf) }
            }
        }
        let initial = CounterRandom(seed: seed, stream: 0x6e6e_6400)
        graph.update(threads: threads) { row, indices, distances in
            // A few random candidates guarantee every row fills all k slots.
            for r in 0..<k {
                let candidate = Int(initial.bits(UInt64(row * k + r)) % UInt64(n))
                if candidate != row {
                    _ = insertUnique(vectors.distance(row, candidate), Int32(candidate), indices, distances, k)
                }
            }
            for tree in 0..<treeCount {
                for candidate in leaves[tree][Int(leafOf[tree][row])] where Int(candidate) != row {
                    _ = insertUnique(vectors.distance(row, Int(candidate)), candidate, indices, distances, k)
                }
            }
            return 0
        }
        for _ in 0..<8 {
            let previous = graph
            let reverse = previous.reverseNeighbors(limit: k)
            let updates = graph.update(threads: threads) { row, indices, distances in
                var changed = 0
                func visit(_ via: Int) {
                    for slot in 0..<k {
                        let candidate = previous.indices[via * k + slot]
                        guard candidate != Int32.max, Int(candidate) != row else { continue }
                        if insertUnique(vectors.distance(row, Int(candidate)), candidate, indices, distances, k) {
                            changed += 1
                        }
                    }
                }
                for slot in 0..<k where previous.indices[row * k + slot] != Int32.max {
                    visit(Int(previous.indices[row * k + slot]))
                }
                for via in reverse[row] { visit(Int(via)) }
                return changed
            }
            if Double(updates) < 0.001 * Double(n * k) { break }
        }
        return graph
    }

    /// Runs `body` on every row's slots in parallel and returns the total of what it returns.
    @discardableResult
    private mutating func update(
        threads: Int,
        _ body: (Int, UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Float>) -> Int
    ) -> Int {
        let k = self.k
        var counts = [Int](repeating: 0, count: count)
        indices.withUnsafeMutableBufferPointer { indices in
            distances.withUnsafeMutableBufferPointer { distances in
                counts.withUnsafeMutableBufferPointer { counts in
                    let indexBase = indices.baseAddress!, distanceBase = distances.baseAddress!
                    Parallel.forEach(count, threads: threads) { row in
                        counts[row] = body(row, indexBase + row * k, distanceBase + row * k)
                    }
                }
            }
        }
        return counts.reduce(0, +)
    }

    /// For each row, up to `limit` rows that list it as a neighbour (lowest row first).
    private func reverseNeighbors(limit: Int) -> [[Int32]] {
        var reverse = [[Int32]](repeating: [], count: count)
        for row in 0..<count {
            for slot in 0..<k {
                let target = indices[row * k + slot]
                if target != Int32.max, reverse[Int(target)].count < limit { reverse[Int(target)].append(Int32(row)) }
            }
        }
        return reverse
    }

    /// `insert`, skipping a candidate that is already in the row.
    @inline(__always)
    private static func insertUnique(
        _ distance: Float, _ candidate: Int32,
        _ indices: UnsafeMutablePointer<Int32>, _ distances: UnsafeMutablePointer<Float>, _ k: Int
    ) -> Bool {
        let worst = distances[k - 1]
        if distance > worst || (distance == worst && candidate >= indices[k - 1]) { return false }
        for slot in 0..<k where indices[slot] == candidate { return false }
        return insert(distance, candidate, indices, distances, k)
    }
}
