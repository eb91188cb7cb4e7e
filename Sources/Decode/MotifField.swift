import AtlasCore

/// Where a region's highlighted words sit and how strongly: each motif is an organic shape whose
/// kind comes from the word alone (so a word looks alike across contexts), whose place comes from
/// the context's noise stream, and whose size and strength follow the activation.
struct MotifField: Sendable {
    /// Per window texel: signed shape value (> 0 inside a motif, ≤ `outside` well away from all).
    var shape: [Float]
    /// Per window texel: highlight amount 0…1 of the motif that owns the texel.
    var strength: [Float]

    /// Shape value far from every motif: low enough that no sampler nudge can light it up.
    static let outside: Float = -1

    /// Nil when no motif has a positive weight (the region paints no highlight at all).
    init?(window: RegionWindow, highlightStrength: Double) {
        let motifs = window.region.motifs.filter { $0.weight > 0 }
        guard !motifs.isEmpty, highlightStrength > 0 else { return nil }
        let rect = window.rect
        shape = [Float](repeating: MotifField.outside, count: rect.width * rect.height)
        strength = [Float](repeating: 0, count: rect.width * rect.height)
        let r = Float(window.radius)
        for motif in motifs {
            let wordHash = StableHash.of(motif.word)
            let place = CounterRandom(seed: window.region.seed, stream: wordHash)
            let angle = Float(place.uniform(0) * 2 * .pi)
            let distance = Float(place.uniform(1).squareRoot()) * 0.55 * r
            let center = SIMD2<Float>(Float(window.center.x) + distance * _cosf(angle),
                                      Float(window.center.y) + distance * _sinf(angle))
            let weight = Float(min(max(motif.weight, 0), 1))
            // Area grows with the activation.
            let size = r * (0.1 + 0.2 * weight.squareRoot())
            let amount = min(1, Float(highlightStrength) * (0.6 + 0.4 * weight))
            let kind = wordHash % 3
            let direction = Float(CounterRandom(seed: wordHash, stream: 1).uniform(0) * .pi)
            let axis = SIMD2<Float>(_cosf(direction), _sinf(direction))
            let edge = LatticeNoise(seed: window.region.seed ^ wordHash, stream: 2)
            paint(center: center, size: size, kind: kind, axis: axis, edge: edge, amount: amount, rect: rect)
        }
    }

    private mutating func paint(center: SIMD2<Float>, size: Float, kind: UInt64, axis: SIMD2<Float>,
                                edge: LatticeNoise, amount: Float, rect: PixelRect) {
        let reach = Int((size * 2.6).rounded(.up)) + 1
        let x0 = max(rect.x, Int(center.x) - reach), x1 = min(rect.maxX, Int(center.x) + reach + 1)
        let y0 = max(rect.y, Int(center.y) - reach), y1 = min(rect.maxY, Int(center.y) + reach + 1)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 {
                let q = SIMD2<Float>(Float(x) + 0.5, Float(y) + 0.5) - center
                let along = (q * axis).sum(), across = q.x * -axis.y + q.y * axis.x
                let distance: Float
                switch kind {
                case 0: // blob
                    distance = (q * q).sum().squareRoot()
                case 1: // broad brush stroke: a capsule along the word's direction
                    let t = min(max(along, -size * 1.1), size * 1.1)
                    distance = (((along - t) * (along - t) + across * across).squareRoot()) * 1.5
                default: // leaf: an ellipse along the word's direction
                    distance = (along * along * 0.45 + across * across * 2.2).squareRoot()
                }
                // Ragged outline: the distance is perturbed by noise on the motif's own scale.
                let ragged = distance + size * 0.35 * edge.fractal(q.x / (size * 0.45), q.y / (size * 0.45), octaves: 3)
                let value = 1 - ragged / size
                let i = (y - rect.y) * rect.width + (x - rect.x)
                if value > shape[i] {
                    shape[i] = value
                    strength[i] = amount
                }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func _cosf(_ x: Float) -> Float { cos(x) }
private func _sinf(_ x: Float) -> Float { sin(x) }
