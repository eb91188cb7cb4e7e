import AtlasCore

/// One context as the decoder sees it: where it sits on the output, how big it is, what it is about
/// (its embedding) and which of its words drive the activation (its motifs).
public struct Region: Sendable, Equatable {
    /// Centre in output pixels.
    public var center: SIMD2<Double>
    /// Radius in output pixels; 0 makes the region invisible.
    public var radius: Double
    /// The context's embedding (length ≥ 1, roughly L2-normalised). Similar vectors get related looks.
    public var features: [Float]
    /// Highlighted words with their activation; painted in the highlight colour. Empty = no highlight.
    public var motifs: [Motif]
    /// The context's own noise stream (texture phase, motif placement, bootstrap colour).
    public var seed: UInt64

    public init(center: SIMD2<Double>, radius: Double, features: [Float], motifs: [Motif] = [], seed: UInt64) {
        self.center = center
        self.radius = radius
        self.features = features
        self.motifs = motifs
        self.seed = seed
    }
}

/// A highlighted word and its activation 0…1: the motif's size and strength follow the activation.
public struct Motif: Sendable, Hashable {
    public var word: String
    public var weight: Double

    public init(word: String, weight: Double) {
        self.word = word
        self.weight = weight
    }
}
