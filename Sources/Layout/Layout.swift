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
                                          exponent: settings.regionExponent, minimum: settings.regionMinimum, range: input.scoreRange)

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
            positions: positions.map(insideUnitDisc), radii: radii, clusters: clusters,
            clusterInfo: ClusterLabeler.clusters(texts: input.texts, assignment: clusters, words: settings.labelWords),
            edges: graph.edges)
    }

    /// Rounding can leave a point a hair outside the unit circle; consumers may rely on |p| ≤ 1.
    private static func insideUnitDisc(_ p: SIMD2<Double>) -> SIMD2<Double> {
        let squared = (p * p).sum()
        return squared > 1 ? p * ((1 - 1e-15) / squared.squareRoot()) : p
    }
}
