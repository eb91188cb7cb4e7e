/// Where a latent's contexts came from when `atlas select` chose them: carried in the contexts
/// file's header (`latent.selection`) and into the manifest of every render of it.
public struct SelectionRecord: Codable, Sendable, Equatable {
    /// The embedding matrix as named (`prompts.npy`, `acts.npz:X`).
    public var embeddings: String
    public var texts: String
    /// The direction as named (`sae_weights.safetensors:W_dec:12082`, or the inline list).
    public var direction: String
    public var rows: Int
    public var dimension: Int
    /// Element type of the matrix (`float16`, …).
    public var dtype: String
    /// Rows left out: NaN, infinite or all-zero values.
    public var skippedRows: Int
    public var top: Int
    /// Score of the K-th context: every selected context scores at least this.
    public var threshold: Double
    public var mean: Double
    public var std: Double
    public var topScore: Double
    /// The tool that selected them (`latentatlas 0.4.0`).
    public var tool: String
    /// Every usable score's distribution (the one `atlas select`'s histogram chart shows), when recorded.
    public var histogram: ScoreHistogram?

    /// Equal-width bins from `lower`: bin k counts the scores in lower + k·width … lower + (k+1)·width.
    public struct ScoreHistogram: Codable, Sendable, Equatable {
        public var lower: Double
        public var width: Double
        public var counts: [Int]

        public init(lower: Double, width: Double, counts: [Int]) {
            self.lower = lower; self.width = width; self.counts = counts
        }

        public var upper: Double { lower + width * Double(counts.count) }
    }

    public init(embeddings: String, texts: String, direction: String, rows: Int, dimension: Int, dtype: String, skippedRows: Int,
                top: Int, threshold: Double, mean: Double, std: Double, topScore: Double, tool: String, histogram: ScoreHistogram? = nil) {
        self.histogram = histogram
        self.embeddings = embeddings; self.texts = texts; self.direction = direction; self.rows = rows
        self.dimension = dimension; self.dtype = dtype; self.skippedRows = skippedRows; self.top = top
        self.threshold = threshold; self.mean = mean; self.std = std; self.topScore = topScore; self.tool = tool
    }

    /// The z-score of the threshold among all scores.
    public var thresholdZ: Double { std > 0 ? (threshold - mean) / std : 0 }

    /// The JSON keys, in the order they are written.
    public static let keys = ["embeddings", "texts", "direction", "rows", "dimension", "dtype", "skipped_rows", "top",
                              "threshold", "mean", "std", "top_score", "tool", "histogram"]
}
