import AtlasCore
import Foundation

/// The two ways `Layout` places points itself: plain UMAP and UMAP with the radial constraint.
extension Layout {
    /// UMAP's length unit is fixed by the a/b curve, so the disc must grow with the point count
    /// (radius ∝ √n keeps the area per point constant). The factor was measured on Gaussian blobs
    /// (see Benchmarks/layout/RESULTS.md): trustworthiness peaks near 0.6 and falls off either side.
    private static let discRadiusPerRootPoint = 0.6

    private static func optimizer(_ settings: LayoutSettings, pointCount: Int) -> EmbeddingOptimizer {
        EmbeddingOptimizer(
            curve: UMAPCurve(minDist: settings.minDist, spread: settings.spread),
            epochs: settings.resolvedEpochs(pointCount: pointCount), learningRate: settings.learningRate,
            negativeSampleRate: settings.negativeSampleRate, repulsionStrength: settings.repulsionStrength)
    }

    /// umap-learn's recipe: the initial layout (here PCA, with a little noise so duplicates can
    /// separate) scaled to [0, 10] per axis, then SGD.
    static func plainUMAP(
        _ vectors: UnitVectors, graph: FuzzyGraph, settings: LayoutSettings, seed: UInt64, threads: Int
    ) -> [SIMD2<Double>] {
        let n = vectors.count
        let noise = CounterRandom(seed: seed, stream: 0x696e_6974)
        let initial = PrincipalAxes.project(vectors, threads: threads)
        let largest = initial.map { max(abs($0.x), abs($0.y)) }.max() ?? 0
        let expanded = initial.enumerated().map { i, p in
            p * (largest > 0 ? 10 / largest : 0) + SIMD2(noise.gaussian(UInt64(2 * i)), noise.gaussian(UInt64(2 * i + 1))) * 1e-4
        }
        let low = expanded.reduce(SIMD2(repeating: Double.infinity)) { $0.replacing(with: $1, where: $1 .< $0) }
        let high = expanded.reduce(SIMD2(repeating: -Double.infinity)) { $0.replacing(with: $1, where: $1 .> $0) }
        let range = (high - low).replacing(with: 1, where: high - low .<= 0)
        var positions = expanded.map { SIMD2<Float>(10 * ($0 - low) / range) }
        if n > 1 {
            optimizer(settings, pointCount: n).optimize(&positions, graph: graph, seed: seed, threads: threads) { _ in }
        }
        return positions.map { SIMD2<Double>($0) }
    }

    /// The constraint: each point starts at its target radius, on an angle from its cluster's
    /// sector (`SectorSeeding`, from the PCA projection), and after every epoch is moved back to
    /// that radius (fully, or by `radialSpring`), so the UMAP forces only turn it. Returns
    /// unit-disc positions.
    static func constrainedUMAP(
        _ vectors: UnitVectors, graph: FuzzyGraph, clusters: [Int], law: RadialLaw, settings: LayoutSettings, seed: UInt64, threads: Int
    ) -> [SIMD2<Double>] {
        let n = vectors.count
        let disc = max(1, discRadiusPerRootPoint * Double(n).squareRoot())
        let noise = CounterRandom(seed: seed, stream: 0x616e_676c)
        let seeds = SectorSeeding.angles(projection: PrincipalAxes.project(vectors, threads: threads), clusters: clusters)
        let directions = seeds.enumerated().map { i, seed in
            let angle = seed + 1e-3 * noise.gaussian(UInt64(i))
            return SIMD2<Float>(Float(cos(angle)), Float(sin(angle)))
        }
        let targets = law.targets.map { Float($0 * disc) }
        var positions = (0..<n).map { directions[$0] * targets[$0] }
        let spring = Float(settings.radialSpring)
        let spread = settings.angularSpread
        var sgd = optimizer(settings, pointCount: n)
        sgd.batchedNegatives = false
        sgd.optimize(&positions, graph: graph, seed: seed, threads: threads) { positions in
            for i in 0..<n {
                let length = (positions[i] * positions[i]).sum().squareRoot()
                let radius = length + spring * (targets[i] - length)
                positions[i] = (length > 1e-6 ? positions[i] / length : directions[i]) * radius
            }
            if spread > 0 { evenOutAngles(&positions, strength: spread) }
        }
        let unit = positions.map { SIMD2<Double>($0) / disc }
        let lengths = unit.map { ($0 * $0).sum().squareRoot() }
        // A soft spring can leave points past the rim; shrink them all, then guard against rounding.
        let scale = 1 / max(1, lengths.max() ?? 0)
        return zip(unit, lengths).map { p, length in length * scale > 1 ? p / length : p * scale }
    }

    /// Moves each angle a step toward an even spacing around the circle, keeping the angular order
    /// (so clusters stay contiguous). Only the angle is free in the constrained layout, and the
    /// centre's strong points pull everything toward one side; this counters that drift.
    static func evenOutAngles(_ positions: inout [SIMD2<Float>], strength: Double) {
        let n = positions.count
        guard n > 2 else { return }
        let angles = positions.map { Double(atan2($0.y, $0.x)) }
        let order = angles.indices.sorted { angles[$0] < angles[$1] || (angles[$0] == angles[$1] && $0 < $1) }
        // Start the even spacing at the widest gap, where the circle is naturally cut.
        var cut = 0
        var widest = -Double.infinity
        for k in 0..<n {
            let gap = k == 0 ? angles[order[0]] + 2 * Double.pi - angles[order[n - 1]] : angles[order[k]] - angles[order[k - 1]]
            if gap > widest { widest = gap; cut = k }
        }
        let start = angles[order[cut]] - widest / 2
        for rank in 0..<n {
            let i = order[(cut + rank) % n]
            let target = start + widest / 2 + 2 * Double.pi * Double(rank) / Double(n)
            var delta = (target - angles[i]).truncatingRemainder(dividingBy: 2 * Double.pi)
            if delta > Double.pi { delta -= 2 * Double.pi } else if delta < -Double.pi { delta += 2 * Double.pi }
            let theta = angles[i] + strength * delta
            let length = (positions[i] * positions[i]).sum().squareRoot()
            positions[i] = SIMD2(Float(cos(theta)), Float(sin(theta))) * length
        }
    }

    /// Centred on the bounding box and scaled so the farthest point lies on the unit circle.
    static func fittedToDisc(_ positions: [SIMD2<Double>]) -> [SIMD2<Double>] {
        guard let first = positions.first else { return [] }
        var low = first, high = first
        for p in positions {
            low = pointwiseMin(low, p)
            high = pointwiseMax(high, p)
        }
        let centre = (low + high) / 2
        let farthest = positions.map { (($0 - centre) * ($0 - centre)).sum().squareRoot() }.max() ?? 0
        return positions.map { farthest > 0 ? ($0 - centre) / farthest : .zero }
    }
}
