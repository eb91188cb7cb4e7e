import AtlasCore

/// One context as the decoder sees it: where it sits on the output, how big it is, what it is about
/// (its embedding and cluster) and its own words, with the highlight weight of each.
public struct Region: Sendable, Equatable {
    /// Centre in output pixels.
    public var center: SIMD2<Double>
    /// Radius in output pixels: the region's claim on the disc (its power-cell weight); 0 hides it.
    public var radius: Double
    /// The context's embedding (length ≥ 1, roughly L2-normalised). Similar vectors get related looks.
    public var features: [Float]
    /// The context's words in reading order; highlighted ones have a weight above 0.
    public var words: [Lettering.Word]
    /// Cluster id: regions of one cluster share a hue family.
    public var cluster: Int
    /// The context's own noise stream (texture phase, bootstrap colour).
    public var seed: UInt64

    public init(center: SIMD2<Double>, radius: Double, features: [Float], words: [Lettering.Word] = [],
                cluster: Int = 0, seed: UInt64) {
        self.center = center
        self.radius = radius
        self.features = features
        self.words = words
        self.cluster = cluster
        self.seed = seed
    }
}
