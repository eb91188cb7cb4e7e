import AtlasCore

/// The k nearest neighbours of every point by cosine distance, the point itself excluded, nearest
/// first; ties go to the lower index so the graph does not depend on evaluation order.
struct NeighborGraph: Sendable {
    let count: Int
    /// Neighbours per row (at most `count − 1`).
    let k: Int
    /// `count × k`, row-major.
    var indices: [Int32]
    var distances: [Float]

    init(count: Int, k: Int) {
        self.count = count
        self.k = k
        indices = [Int32](repeating: Int32.max, count: count * k)
        distances = [Float](repeating: .infinity, count: count * k)
    }

    /// Exact search for up to `UnitVectors.count` ≈ tens of thousands of rows. Query rows go in
    /// blocks that stay in cache while every candidate row streams past once per block.
    static func exact(_ vectors: UnitVectors, k: Int, threads: Int) -> NeighborGraph {
        var graph = NeighborGraph(count: vectors.count, k: k)
        guard k > 0 else { return graph }
        let n = vectors.count, chunks = vectors.chunks
        let blockSize = 32
        let blocks = (n + blockSize - 1) / blockSize
        vectors.storage.withUnsafeBufferPointer { rows in
            graph.indices.withUnsafeMutableBufferPointer { indices in
                graph.distances.withUnsafeMutableBufferPointer { distances in
                    let base = rows.baseAddress!
                    let indexBase = indices.baseAddress!, distanceBase = distances.baseAddress!
                    Parallel.forEach(blocks, threads: threads) { block in
                        let first = block * blockSize, end = min(n, first + blockSize)
                        for j in 0..<n {
                            let candidate = base + j * chunks
                            var q = first
                            // Four queries per pass share each load of the candidate row.
                            while q + 4 <= end {
                                let q0 = base + q * chunks, q1 = q0 + chunks, q2 = q1 + chunks, q3 = q2 + chunks
                                var a0 = SIMD8<Float>.zero, a1 = SIMD8<Float>.zero
                                var a2 = SIMD8<Float>.zero, a3 = SIMD8<Float>.zero
                                for c in 0..<chunks {
                                    let x = candidate[c]
                                    a0 += q0[c] * x
                                    a1 += q1[c] * x
                                    a2 += q2[c] * x
                                    a3 += q3[c] * x
                                }
                                offer(q, j, a0.sum(), indexBase, distanceBase, k)
                                offer(q + 1, j, a1.sum(), indexBase, distanceBase, k)
                                offer(q + 2, j, a2.sum(), indexBase, distanceBase, k)
                                offer(q + 3, j, a3.sum(), indexBase, distanceBase, k)
                                q += 4
                            }
                            while q < end {
                                let row = base + q * chunks
                                var acc = SIMD8<Float>.zero
                                for c in 0..<chunks { acc += row[c] * candidate[c] }
                                offer(q, j, acc.sum(), indexBase, distanceBase, k)
                                q += 1
                            }
                        }
                    }
                }
            }
        }
        return graph
    }

    @inline(__always)
    private static func offer(
        _ row: Int, _ candidate: Int, _ dot: Float,
        _ indices: UnsafeMutablePointer<Int32>, _ distances: UnsafeMutablePointer<Float>, _ k: Int
    ) {
        guard row != candidate else { return }
        _ = insert(max(0, 1 - dot), Int32(candidate), indices + row * k, distances + row * k, k)
    }

    /// Inserts into a sorted row of `k` slots if the candidate beats the worst; returns whether it did.
    @inline(__always)
    static func insert(
        _ distance: Float, _ candidate: Int32,
        _ indices: UnsafeMutablePointer<Int32>, _ distances: UnsafeMutablePointer<Float>, _ k: Int
    ) -> Bool {
        let worst = distances[k - 1]
        if distance > worst || (distance == worst && candidate >= indices[k - 1]) { return false }
        var slot = k - 1
        while slot > 0, distances[slot - 1] > distance || (distances[slot - 1] == distance && indices[slot - 1] > candidate) {
            distances[slot] = distances[slot - 1]
            indices[slot] = indices[slot - 1]
            slot -= 1
        }
        distances[slot] = distance
        indices[slot] = candidate
        return true
    }
}
