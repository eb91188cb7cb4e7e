import AtlasCore

/// One angular random-projection tree: each node splits its rows by the hyperplane through the
/// origin halfway (in angle) between two random members, until leaves are small.
enum RandomProjectionTree {
    /// The leaves, each a list of row indices.
    static func leaves(_ vectors: UnitVectors, leafSize: Int, random: CounterRandom) -> [[Int32]] {
        var result: [[Int32]] = []
        var pending: [(rows: [Int32], node: UInt64)] = [((0..<vectors.count).map(Int32.init), 1)]
        while let (rows, node) = pending.popLast() {
            if rows.count <= leafSize {
                result.append(rows)
                continue
            }
            let (left, right) = split(rows, vectors: vectors, random: random.derived(node))
            pending.append((right, StableHash.combine(node, 2)))
            pending.append((left, StableHash.combine(node, 1)))
        }
        return result
    }

    private static func split(_ rows: [Int32], vectors: UnitVectors, random: CounterRandom) -> ([Int32], [Int32]) {
        let first = Int(rows[Int(random.bits(0) % UInt64(rows.count))])
        var second = Int(rows[Int(random.bits(1) % UInt64(rows.count - 1))])
        if second == first { second = Int(rows[rows.count - 1]) }
        var left: [Int32] = [], right: [Int32] = []
        for row in rows {
            let side = vectors.dot(Int(row), first) - vectors.dot(Int(row), second)
            if side > 0 { left.append(row) } else if side < 0 { right.append(row) }
            // Rows on the plane (duplicates, zero rows) alternate by a hash so the split stays balanced.
            else if random.bits(2 &+ UInt64(row)) & 1 == 0 { left.append(row) } else { right.append(row) }
        }
        // A useless split (all on one side) would recurse forever; halve instead.
        if left.isEmpty || right.isEmpty {
            let half = rows.count / 2
            return (Array(rows[..<half]), Array(rows[half...]))
        }
        return (left, right)
    }
}
