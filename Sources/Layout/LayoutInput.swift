/// The selected contexts to lay out.
public struct LayoutInput: Sendable {
    /// Always present; used for the built-in embedding (when `embeddings` is nil) and cluster labels.
    public var texts: [String]
    /// One per text; higher is stronger and lands nearer the centre.
    public var scores: [Double]
    /// Optional, one row per text, all the same length.
    public var embeddings: [[Float]]?
    /// Optional precomputed positions, used by mode `.given`.
    public var positions: [SIMD2<Double>]?
    /// The score range region sizes are normalised over (default: these scores' own min…max). A pair
    /// of latents printed on one page (`--composition pair`) passes the union of both ranges, so equal
    /// scores get equal regions on both sides.
    public var scoreRange: ClosedRange<Double>?

    public init(texts: [String], scores: [Double], embeddings: [[Float]]? = nil, positions: [SIMD2<Double>]? = nil) {
        self.texts = texts
        self.scores = scores
        self.embeddings = embeddings
        self.positions = positions
    }

    /// Throws the first inconsistency: counts, ragged or non-finite embeddings, positions for `.given`.
    func validate(mode: LayoutMode) throws {
        let n = texts.count
        guard scores.count == n else { throw LayoutError.scoreCountMismatch(texts: n, scores: scores.count) }
        if let index = scores.firstIndex(where: { !$0.isFinite }) { throw LayoutError.nonFiniteScore(index: index) }
        if let embeddings {
            guard embeddings.count == n else { throw LayoutError.embeddingCountMismatch(texts: n, embeddings: embeddings.count) }
            if let first = embeddings.first {
                guard !first.isEmpty else { throw LayoutError.emptyEmbedding }
                for (index, row) in embeddings.enumerated() {
                    guard row.count == first.count else {
                        throw LayoutError.raggedEmbedding(index: index, length: row.count, expected: first.count)
                    }
                    if row.contains(where: { !$0.isFinite }) { throw LayoutError.nonFiniteEmbedding(index: index) }
                }
            }
        }
        if mode == .given {
            guard let positions else { throw LayoutError.missingPositions }
            guard positions.count == n else { throw LayoutError.positionCountMismatch(texts: n, positions: positions.count) }
            if let index = positions.firstIndex(where: { !$0.x.isFinite || !$0.y.isFinite }) {
                throw LayoutError.nonFinitePosition(index: index)
            }
        }
    }
}
