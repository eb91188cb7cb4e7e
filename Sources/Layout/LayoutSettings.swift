import AtlasCore

/// The `layout` section of a style. YAML keys are the snake_case property names (`n_neighbors`, …).
/// `Styles/_base.yaml` defines every key; a style that leaves one out is an error, as in every section.
public struct LayoutSettings: Codable, Sendable, Equatable, SettingsChecked {
    /// `constrained` (radius from score rank), `umap` (plain) or `given` (positions from the input).
    public var mode: LayoutMode
    /// Neighbours per point in the kNN graph, the point itself included (as in umap-learn).
    public var nNeighbors: Int
    /// Smallest distance between points in the embedding (umap-learn `min_dist`).
    public var minDist: Double
    /// Scale of the embedded points (umap-learn `spread`); with `minDist` it fixes the a/b curve.
    public var spread: Double
    /// SGD epochs; 0 = automatic (500 up to 10 000 points, 200 above), as in umap-learn.
    public var epochs: Int
    /// Initial SGD learning rate, decaying linearly to 0.
    public var learningRate: Double
    /// Negative samples per positive sample.
    public var negativeSampleRate: Int
    /// Weight of the negative (repulsive) samples (umap-learn `repulsion_strength`).
    public var repulsionStrength: Double
    /// γ in target radius = (rank / (n − 1))^γ; 0.5 spreads the points evenly over the disc's area.
    public var radialExponent: Double
    /// How far each epoch moves a point back to its target radius: 1 = all the way, less = a spring.
    public var radialSpring: Double
    /// Region radius of the top-scoring context, as a fraction of the unit disc's radius.
    public var regionScale: Double
    /// Region radius ∝ (min–max normalised score)^regionExponent.
    public var regionExponent: Double
    /// Smallest region radius, as a fraction of `regionScale`.
    public var regionMinimum: Double
    /// Overlap allowed between two regions, as a fraction of the smaller radius, before relaxation separates them.
    public var overlap: Double
    /// Iterations of the final size-aware relaxation (constrained mode); 0 turns it off.
    public var relaxIterations: Int
    /// Exact kNN up to this many points; an approximate search (random-projection forest + NN-descent) above.
    public var exactNeighborLimit: Int
    /// Dimensions of the built-in hashed text embedding, used when the input has no embeddings.
    public var embeddingDimensions: Int
    /// Modularity resolution of the clustering: higher gives more, smaller clusters.
    public var clusterResolution: Double
    /// Words per cluster label.
    public var labelWords: Int
    /// How strongly each constrained epoch evens out the angles (keeping their order), so the
    /// layout fills the whole circle instead of drifting to one side; 0 = pure UMAP forces.
    public var angularSpread: Double

    /// What `Styles/_base.yaml` says, for code that lays out without a style (tests, benchmarks); a
    /// Styles test holds the two equal.
    public static let standard = LayoutSettings(
        mode: .constrained, nNeighbors: 15, minDist: 0.1, spread: 1.0, epochs: 0, learningRate: 1.0,
        negativeSampleRate: 5, repulsionStrength: 1.0, radialExponent: 0.5, radialSpring: 1.0,
        regionScale: 0.12, regionExponent: 1.0, regionMinimum: 0.25, overlap: 0.25, relaxIterations: 60,
        exactNeighborLimit: 20_000, embeddingDimensions: 256, clusterResolution: 1.0, labelWords: 3,
        angularSpread: 0.1)

    public init(
        mode: LayoutMode, nNeighbors: Int, minDist: Double, spread: Double, epochs: Int, learningRate: Double,
        negativeSampleRate: Int, repulsionStrength: Double, radialExponent: Double, radialSpring: Double,
        regionScale: Double, regionExponent: Double, regionMinimum: Double, overlap: Double, relaxIterations: Int,
        exactNeighborLimit: Int, embeddingDimensions: Int, clusterResolution: Double, labelWords: Int,
        angularSpread: Double
    ) {
        self.mode = mode
        self.nNeighbors = nNeighbors
        self.minDist = minDist
        self.spread = spread
        self.epochs = epochs
        self.learningRate = learningRate
        self.negativeSampleRate = negativeSampleRate
        self.repulsionStrength = repulsionStrength
        self.radialExponent = radialExponent
        self.radialSpring = radialSpring
        self.regionScale = regionScale
        self.regionExponent = regionExponent
        self.regionMinimum = regionMinimum
        self.overlap = overlap
        self.relaxIterations = relaxIterations
        self.exactNeighborLimit = exactNeighborLimit
        self.embeddingDimensions = embeddingDimensions
        self.clusterResolution = clusterResolution
        self.labelWords = labelWords
        self.angularSpread = angularSpread
    }

    /// SGD epochs after resolving `epochs == 0`.
    func resolvedEpochs(pointCount: Int) -> Int {
        epochs > 0 ? epochs : (pointCount <= 10_000 ? 500 : 200)
    }

    public func check(_ check: inout SettingsCheck) {
        check.range("n_neighbors", nNeighbors, 2...200)
        check.range("spread", spread, 0.01...100)
        check.range("min_dist", minDist, 0...max(0, spread))
        check.range("epochs", epochs, 0...5000)
        check.range("learning_rate", learningRate, 0.0001...100)
        check.range("negative_sample_rate", negativeSampleRate, 0...100)
        check.range("repulsion_strength", repulsionStrength, 0...100)
        check.range("radial_exponent", radialExponent, 0.05...10)
        check.range("radial_spring", radialSpring, 0...1)
        check.range("region_scale", regionScale, 0.0001...1)
        check.range("region_exponent", regionExponent, 0...10)
        check.range("region_minimum", regionMinimum, 0...1)
        check.range("overlap", overlap, 0...1)
        check.range("relax_iterations", relaxIterations, 0...10_000)
        check.range("exact_neighbor_limit", exactNeighborLimit, 0...10_000_000)
        check.range("embedding_dimensions", embeddingDimensions, 8...65_536)
        check.range("cluster_resolution", clusterResolution, 0.001...100)
        check.range("label_words", labelWords, 0...20)
        check.range("angular_spread", angularSpread, 0...1)
    }
}
