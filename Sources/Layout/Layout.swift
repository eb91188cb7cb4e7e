import AtlasCore
import Foundation

/// Where each context goes on the atlas: a position in the unit disc, a region size, a cluster and
/// the kNN edge graph. Computed by UMAP with the radius of each point fixed by its score rank.
public struct Layout: Sendable {
    /// In the unit disc (|p| ≤ 1), index-aligned with the input.
    public var positions: [SIMD2<Double>]
    /// Region radius per context, in unit-disc units.
    public var radii: [Double]
    /// Cluster id per context (an index into `clusterInfo`).
    public var clusters: [Int]
    public var clusterInfo: [Cluster]
    /// The kNN graph with fuzzy-union weights, `a < b`, each pair once.
    public var edges: [Edge]

    public init(positions: [SIMD2<Double>], radii: [Double], clusters: [Int], clusterInfo: [Cluster], edges: [Edge]) {
        self.positions = positions
        self.radii = radii
        self.clusters = clusters
        self.clusterInfo = clusterInfo
        self.edges = edges
    }

    /// UMAP's length unit is fixed by the a/b curve, so the disc must grow with the point count
    /// (radius ∝ √n keeps the area per point constant). The factor was measured on Gaussian blobs
    /// (see Benchmarks/layout/RESULTS.md): trustworthiness peaks near 0.6 and falls off either side.
    static let discRadiusPerRootPoint = 0.6

    /// The same input, settings and seed give the same layout at any `threads`.
    public static func compute(
        _ input: LayoutInput, settings: LayoutSettings, seed: UInt64,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws -> Layout {
        var check = SettingsCheck()
        settings.check(&check)
        if let violation = check.violations.first {
            throw LayoutError.invalidSetting(key: violation.key, message: violation.message)
        }
        try input.validate(mode: settings.mode)
        let n = input.texts.count
        guard n > 0 else { return Layout(positions: [], radii: [], clusters: [], clusterInfo: [], edges: []) }

        let vectors = UnitVectors(rows: input.embeddings
            ?? input.texts.map { TextEmbedding.embed($0, dimensions: settings.embeddingDimensions) })
        let k = min(settings.nNeighbors - 1, n - 1)
        let neighbors = n <= settings.exactNeighborLimit
            ? NeighborGraph.exact(vectors, k: k, threads: threads)
            : NeighborGraph.approximate(vectors, k: k, seed: seed, threads: threads)
        let graph = FuzzyGraph(neighbors, nNeighbors: settings.nNeighbors)
        let clusters = ModularityClustering.communities(of: graph, resolution: settings.clusterResolution)
        let law = RadialLaw(scores: input.scores, exponent: settings.radialExponent)
        let radii = RadialLaw.regionRadii(scores: input.scores, scale: settings.regionScale,
                                          exponent: settings.regionExponent, minimum: settings.regionMinimum)

        var positions: [SIMD2<Double>]
        switch settings.mode {
        case .given:
            positions = input.positions!
            if positions.contains(where: { ($0 * $0).sum() > 1 }) { positions = fittedToDisc(positions) }
        case .umap:
            positions = fittedToDisc(plainUMAP(vectors, graph: graph, settings: settings, seed: seed, threads: threads))
        case .constrained:
            positions = constrainedUMAP(vectors, graph: graph, clusters: clusters, law: law, settings: settings, seed: seed, threads: threads)
            RegionRelaxation(radii: radii, ranks: law.ranks, overlap: settings.overlap, iterations: settings.relaxIterations)
                .relax(&positions, threads: threads)
        }
        return Layout(
            positions: positions, radii: radii, clusters: clusters,
            clusterInfo: ClusterLabeler.clusters(texts: input.texts, assignment: clusters, words: settings.labelWords),
            edges: graph.edges)
    }

    private static func optimizer(_ settings: LayoutSettings, pointCount: Int) -> EmbeddingOptimizer {
        EmbeddingOptimizer(
            curve: UMAPCurve(minDist: settings.minDist, spread: settings.spread),
            epochs: settings.resolvedEpochs(pointCount: pointCount), learningRate: settings.learningRate,
            negativeSampleRate: settings.negativeSampleRate, repulsionStrength: settings.repulsionStrength)
    }

    /// umap-learn's recipe: the initial layout (here PCA, with a little noise so duplicates can
    /// separate) scaled to [0, 10] per axis, then SGD.
    private static func plainUMAP(
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
            optimizer(settings, pointCount: n).optimize(&positions, graph: graph, seed: seed) { _ in }
        }
        return positions.map { SIMD2<Double>($0) }
    }

    /// The constraint: each point starts at its target radius, on an angle from its cluster's sector
    /// (`SectorSeeding`, from the PCA projection), and after every epoch is moved back to that radius (fully, or by `radialSpring`), so the
    /// UMAP forces only turn it. Returns unit-disc positions.
    private static func constrainedUMAP(
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
        optimizer(settings, pointCount: n).optimize(&positions, graph: graph, seed: seed) { positions in
            for i in 0..<n {
                let length = (positions[i] * positions[i]).sum().squareRoot()
                let radius = length + spring * (targets[i] - length)
                positions[i] = (length > 1e-6 ? positions[i] / length : directions[i]) * radius
            }
        }
        let unit = positions.map { SIMD2<Double>($0) / disc }
        let lengths = unit.map { ($0 * $0).sum().squareRoot() }
        // A soft spring can leave points past the rim; shrink them all, then guard against rounding.
        let scale = 1 / max(1, lengths.max() ?? 0)
        return zip(unit, lengths).map { p, length in length * scale > 1 ? p / length : p * scale }
    }

    /// Centred on the bounding box and scaled so the farthest point lies on the unit circle.
    private static func fittedToDisc(_ positions: [SIMD2<Double>]) -> [SIMD2<Double>] {
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
