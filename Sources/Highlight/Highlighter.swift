import AtlasCore
import Contexts

/// What a word's activation is measured against.
public enum Normalization: String, Codable, Sendable, CaseIterable {
    /// Each context's strongest word is 1.
    case context
    /// The latent's strongest word is 1, so weak contexts stay weak.
    case latent
}

/// Where a context's activations count from. Dense activations (every token somewhat active)
/// would otherwise highlight function words.
public enum Baseline: String, Codable, Sendable {
    /// Activations count from zero.
    case zero
    /// Activations count from the context's median word activation.
    case median
}

public struct HighlightSettings: Codable, Sendable, Equatable, SettingsChecked {
    public var normalize: Normalization
    /// Words at or above this normalised activation are highlighted.
    public var threshold: Double
    /// At most this many words per context are highlighted (the strongest).
    public var maxWords: Int
    /// What activations are measured from before normalising.
    public var baseline: Baseline
    /// With the median baseline, a highlighted word's activation must also be at least this multiple
    /// of its context's median word activation (when that is above zero): only words clearly above
    /// the context's own level.
    public var minimumContrast: Double

    public init(normalize: Normalization, threshold: Double, maxWords: Int, baseline: Baseline = .median,
                minimumContrast: Double = 2) {
        self.normalize = normalize
        self.threshold = threshold
        self.maxWords = maxWords
        self.baseline = baseline
        self.minimumContrast = minimumContrast
    }

    public func check(_ check: inout SettingsCheck) {
        check.range("threshold", threshold, 0.0...1.0)
        check.range("max_words", maxWords, 0...1000)
        check.range("minimum_contrast", minimumContrast, 1.0...1000)
    }
}

/// A context's words with normalised activations and which of them are highlighted.
public struct HighlightedContext: Sendable, Equatable {
    public struct Motif: Sendable, Equatable {
        public var word: String
        /// Normalised activation, 0…1.
        public var weight: Double
    }

    public var words: [Word]
    /// Normalised activation per word, 0…1.
    public var weights: [Double]
    public var highlighted: [Bool]
    /// The text with highlighted runs wrapped in `{{…}}`.
    public var markedText: String
    /// Highlighted words and their weights, strongest first: what the decoder paints in the highlight colour.
    public var motifs: [Motif]
}

/// Token activations → word activations → normalised, thresholded highlights.
public struct Highlighter: Sendable {
    public var settings: HighlightSettings

    public init(settings: HighlightSettings) { self.settings = settings }

    /// Highlights every context of a latent (latent-wide normalisation needs them all). The token
    /// family is decided once for the latent: `family` (the reader's, per format), else from every
    /// context's tokens together, never from one context alone.
    public func highlight(_ contexts: [Context], family: TokenFamily? = nil) -> [HighlightedContext] {
        let family = family ?? TokenFamily.detect(contexts)
        let words = contexts.map { Self.words(of: $0, family: family) }
        let latentMax = words.flatMap { $0.map(\.activation) }.max() ?? 0
        return zip(contexts, words).map { context, words in
            let scale: Double
            switch settings.normalize {
            case .context: scale = words.map(\.activation).max() ?? 0
            case .latent: scale = latentMax
            }
            let median = Self.median(words.map(\.activation))
            let base = settings.baseline == .median ? max(median, 0) : 0
            let weights = words.map { scale > base ? min(max(($0.activation - base) / (scale - base), 0), 1) : 0 }
            let clear = words.map { settings.baseline == .zero || median <= 0 || $0.activation >= settings.minimumContrast * median }
            let chosen = Set(weights.indices.filter { weights[$0] >= settings.threshold && weights[$0] > 0 && clear[$0] }
                .sorted { weights[$0] > weights[$1] || (weights[$0] == weights[$1] && $0 < $1) }
                .prefix(settings.maxWords))
            let highlighted = words.indices.map { chosen.contains($0) }
            let motifs = chosen.sorted { weights[$0] > weights[$1] || (weights[$0] == weights[$1] && $0 < $1) }
                .map { HighlightedContext.Motif(word: words[$0].text, weight: weights[$0]) }
            return HighlightedContext(words: words, weights: weights, highlighted: highlighted,
                                      markedText: Self.mark(words, highlighted), motifs: motifs)
        }
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// Words with raw activations: from tokens when the context has them, otherwise from the text,
    /// with inline-marked words at activation 1 and the rest at 0.
    static func words(of context: Context, family: TokenFamily?) -> [Word] {
        if let tokens = context.tokens, let activations = context.activations {
            return WordPieces.words(tokens: tokens, activations: activations, family: family ?? TokenFamily.detect(tokens))
        }
        return WordPieces.words(text: context.text, marked: context.markedSpans)
    }

    /// Rebuilds the text with consecutive highlighted words inside one `{{…}}`.
    static func mark(_ words: [Word], _ highlighted: [Bool]) -> String {
        var s = ""
        var open = false
        for (i, w) in words.enumerated() {
            if open && !highlighted[i] { s += "}}"; open = false }
            if !s.isEmpty { s += w.separator }
            if highlighted[i] && !open { s += "{{"; open = true }
            s += w.text
        }
        if open { s += "}}" }
        return s
    }
}
