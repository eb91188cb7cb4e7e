/// Why a layout could not be computed. The wording lives in `description`, one sentence per case.
public enum LayoutError: Error, Equatable, CustomStringConvertible {
    case scoreCountMismatch(texts: Int, scores: Int)
    case embeddingCountMismatch(texts: Int, embeddings: Int)
    case raggedEmbedding(index: Int, length: Int, expected: Int)
    case emptyEmbedding
    case nonFiniteScore(index: Int)
    case nonFiniteEmbedding(index: Int)
    case missingPositions
    case positionCountMismatch(texts: Int, positions: Int)
    case nonFinitePosition(index: Int)
    case invalidSetting(key: String, message: String)

    public var description: String {
        switch self {
        case let .scoreCountMismatch(texts, scores):
            "The layout got \(texts) texts but \(scores) scores; every context needs exactly one score."
        case let .embeddingCountMismatch(texts, embeddings):
            "The layout got \(texts) texts but \(embeddings) embeddings; give one embedding per context or none."
        case let .raggedEmbedding(index, length, expected):
            "Embedding \(index) has \(length) values but the first has \(expected); all embeddings must have the same length."
        case .emptyEmbedding:
            "The embeddings have no values; give vectors with at least one dimension or leave them out."
        case let .nonFiniteScore(index):
            "Score \(index) is not a finite number; scores must be finite."
        case let .nonFiniteEmbedding(index):
            "Embedding \(index) contains a value that is not finite (NaN or infinity)."
        case .missingPositions:
            "Layout mode 'given' needs positions in the input, but none were given; use mode 'constrained' or 'umap' instead."
        case let .positionCountMismatch(texts, positions):
            "The layout got \(texts) texts but \(positions) positions; give one position per context."
        case let .nonFinitePosition(index):
            "Position \(index) is not finite; positions must be finite numbers."
        case let .invalidSetting(key, message):
            "Layout setting '\(key)': \(message)."
        }
    }
}
