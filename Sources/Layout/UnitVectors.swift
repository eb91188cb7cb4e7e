/// Row vectors scaled to unit length and padded to whole SIMD chunks, so cosine distance is
/// `1 − dot` and the hot loops run on `SIMD8<Float>`. Zero rows stay zero (distance 1 to everything).
struct UnitVectors: Sendable {
    let count: Int
    /// SIMD8 chunks per row.
    let chunks: Int
    private(set) var storage: [SIMD8<Float>]

    init(rows: [[Float]]) {
        count = rows.count
        let dimensions = rows.first?.count ?? 0
        chunks = max(1, (dimensions + 7) / 8)
        storage = [SIMD8<Float>](repeating: .zero, count: count * chunks)
        for (i, row) in rows.enumerated() {
            // Accumulate the norm in Double so large, uneven rows normalise accurately.
            let norm = row.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            let scale = norm > 0 ? Float(1 / norm) : 0
            for (d, value) in row.enumerated() {
                storage[i * chunks + d / 8][d % 8] = value * scale
            }
        }
    }

    @inline(__always)
    func dot(_ i: Int, _ j: Int) -> Float {
        storage.withUnsafeBufferPointer { base in
            var acc = SIMD8<Float>.zero
            let a = base.baseAddress! + i * chunks, b = base.baseAddress! + j * chunks
            for c in 0..<chunks { acc += a[c] * b[c] }
            return acc.sum()
        }
    }

    /// Cosine distance in [0, 2].
    @inline(__always)
    func distance(_ i: Int, _ j: Int) -> Float {
        max(0, 1 - dot(i, j))
    }
}
