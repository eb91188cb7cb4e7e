import AtlasCore
import Foundation

/// UMAP's stochastic gradient descent (umap-learn `optimize_layout_euclidean`, `move_other`):
/// each graph edge is sampled in proportion to its weight, pulls its ends together along the a/b
/// curve, and pushes the head away from `negativeSampleRate` random points; the learning rate
/// decays linearly to zero. Edges are processed in a fixed order on one thread, so the result
/// depends only on the seed.
struct EmbeddingOptimizer {
    let curve: UMAPCurve
    let epochs: Int
    let learningRate: Double
    let negativeSampleRate: Int
    let repulsionStrength: Double

    /// Runs all epochs on `positions`; `afterEpoch` may constrain them (the radial projection).
    func optimize(
        _ positions: inout [SIMD2<Float>], graph: FuzzyGraph, seed: UInt64,
        afterEpoch: (inout [SIMD2<Float>]) -> Void
    ) {
        let n = positions.count
        guard n > 1, epochs > 0, let maxWeight = graph.weights.max(), maxWeight > 0 else { return }
        // Edges too weak to be sampled even once are pruned, as in umap-learn.
        let kept = graph.weights.indices.filter { graph.weights[$0] >= maxWeight / Double(epochs) }
        let heads = kept.map { Int(graph.rows[$0]) }
        let tails = kept.map { Int(graph.columns[$0]) }
        let epochsPerSample = kept.map { maxWeight / graph.weights[$0] }
        let epochsPerNegative = epochsPerSample.map { $0 / Double(max(negativeSampleRate, 1)) }
        var nextSample = epochsPerSample
        var nextNegative = epochsPerNegative
        let a = Float(curve.a), b = Float(curve.b)
        let repulsion = Float(2 * repulsionStrength) * b
        let random = CounterRandom(seed: seed, stream: 0x7367_6400)
        var draw: UInt64 = 0
        @inline(__always) func clip(_ g: SIMD2<Float>) -> SIMD2<Float> {
            g.clamped(lowerBound: SIMD2(repeating: -4), upperBound: SIMD2(repeating: 4))
        }
        for epoch in 0..<epochs {
            let alpha = Float(learningRate * (1 - Double(epoch) / Double(epochs)))
            let now = Double(epoch)
            positions.withUnsafeMutableBufferPointer { p in
                for e in 0..<heads.count where nextSample[e] <= now {
                    let j = heads[e], k = tails[e]
                    var current = p[j]
                    let delta = current - p[k]
                    let squared = (delta * delta).sum()
                    if squared > 0 {
                        let power = powf(squared, b)
                        let coefficient = -2 * a * b * power / squared / (a * power + 1)
                        let g = clip(coefficient * delta) * alpha
                        current += g
                        p[k] -= g
                    }
                    nextSample[e] += epochsPerSample[e]
                    if negativeSampleRate > 0 {
                        let negatives = Int((now - nextNegative[e]) / epochsPerNegative[e])
                        for _ in 0..<max(0, negatives) {
                            let other = Int(((random.bits(draw) >> 32) &* UInt64(n)) >> 32)
                            draw &+= 1
                            guard other != j else { continue }
                            let away = current - p[other]
                            let squared = (away * away).sum()
                            if squared > 0 {
                                let coefficient = repulsion / ((0.001 + squared) * (a * powf(squared, b) + 1))
                                current += clip(coefficient * away) * alpha
                            }
                        }
                        nextNegative[e] += Double(max(0, negatives)) * epochsPerNegative[e]
                    }
                    p[j] = current
                }
            }
            afterEpoch(&positions)
        }
    }
}
