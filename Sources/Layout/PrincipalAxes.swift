import AtlasCore

/// The first two principal components of the (centred) unit vectors, by block power iteration.
/// Used to seed the layout's angles (constrained) or positions (plain UMAP) instead of random noise.
enum PrincipalAxes {
    /// Partial sums run over a fixed number of slices so the total is the same at any thread count.
    private static let slices = 64

    /// Each row projected onto the two leading components.
    static func project(_ vectors: UnitVectors, threads: Int, iterations: Int = 40) -> [SIMD2<Double>] {
        let n = vectors.count, chunks = vectors.chunks
        guard n > 1 else { return [SIMD2<Double>](repeating: .zero, count: n) }
        let mean = columnSum(vectors, threads: threads) { _ in SIMD2(1, 0) }.map { $0.x / Double(n) }
        // A fixed pseudo-random start; the power iteration forgets it after a few rounds.
        let start = CounterRandom(seed: 0x7063_61)
        var axes: [[Double]] = (0..<2).map { axis in
            (0..<(chunks * 8)).map { d in start.uniform(UInt64(axis * chunks * 8 + d)) - 0.5 }
        }
        var projections = [SIMD2<Double>](repeating: .zero, count: n)
        for _ in 0..<iterations {
            projections = project(vectors, axes: axes, mean: mean, threads: threads)
            let sums = columnSum(vectors, threads: threads) { projections[$0] }
            let total = projections.reduce(SIMD2<Double>.zero, +)
            // Xcᵀ y = Xᵀ y − mean · Σy.
            axes = [sums.indices.map { sums[$0].x - mean[$0] * total.x },
                    sums.indices.map { sums[$0].y - mean[$0] * total.y }]
            orthonormalise(&axes)
        }
        return project(vectors, axes: axes, mean: mean, threads: threads)
    }

    private static func project(_ vectors: UnitVectors, axes: [[Double]], mean: [Double], threads: Int) -> [SIMD2<Double>] {
        let chunks = vectors.chunks
        let first = simdRows(axes[0]), second = simdRows(axes[1])
        let offset = SIMD2(dot(mean, axes[0]), dot(mean, axes[1]))
        var result = [SIMD2<Double>](repeating: .zero, count: vectors.count)
        result.withUnsafeMutableBufferPointer { out in
            vectors.storage.withUnsafeBufferPointer { rows in
                Parallel.forEach(vectors.count, threads: threads) { i in
                    var x = SIMD8<Float>.zero, y = SIMD8<Float>.zero
                    for c in 0..<chunks {
                        x += rows[i * chunks + c] * first[c]
                        y += rows[i * chunks + c] * second[c]
                    }
                    out[i] = SIMD2(Double(x.sum()), Double(y.sum())) - offset
                }
            }
        }
        return result
    }

    /// Σ_i weight(i) · row_i per dimension, for both weight components at once.
    private static func columnSum(_ vectors: UnitVectors, threads: Int, weight: (Int) -> SIMD2<Double>) -> [SIMD2<Double>] {
        let n = vectors.count, chunks = vectors.chunks, width = chunks * 8
        let sliceCount = min(slices, n)
        var partial = [SIMD2<Double>](repeating: .zero, count: sliceCount * width)
        partial.withUnsafeMutableBufferPointer { partial in
            vectors.storage.withUnsafeBufferPointer { rows in
                Parallel.forEach(sliceCount, threads: threads) { slice in
                    var xs = [SIMD8<Float>](repeating: .zero, count: chunks)
                    var ys = [SIMD8<Float>](repeating: .zero, count: chunks)
                    for i in (n * slice / sliceCount)..<(n * (slice + 1) / sliceCount) {
                        let w = weight(i)
                        let wx = Float(w.x), wy = Float(w.y)
                        for c in 0..<chunks {
                            xs[c] += rows[i * chunks + c] * wx
                            ys[c] += rows[i * chunks + c] * wy
                        }
                    }
                    for d in 0..<width {
                        partial[slice * width + d] = SIMD2(Double(xs[d / 8][d % 8]), Double(ys[d / 8][d % 8]))
                    }
                }
            }
        }
        var total = [SIMD2<Double>](repeating: .zero, count: width)
        for slice in 0..<sliceCount {
            for d in 0..<width { total[d] += partial[slice * width + d] }
        }
        return total
    }

    private static func orthonormalise(_ axes: inout [[Double]]) {
        normalise(&axes[0])
        let overlap = dot(axes[0], axes[1])
        for d in axes[1].indices { axes[1][d] -= overlap * axes[0][d] }
        normalise(&axes[1])
    }

    private static func normalise(_ v: inout [Double]) {
        let norm = dot(v, v).squareRoot()
        guard norm > 1e-300 else { return }
        for d in v.indices { v[d] /= norm }
    }

    private static func dot(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    }

    private static func simdRows(_ v: [Double]) -> [SIMD8<Float>] {
        stride(from: 0, to: v.count, by: 8).map { start in
            SIMD8<Float>((0..<8).map { Float(v[start + $0]) })
        }
    }
}
