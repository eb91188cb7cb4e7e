import AtlasCore

/// One text that activates the latent: a prompt with its score and what we know about it.
public struct Context: Sendable, Equatable {
    /// Unique within its latent; seeds the context's noise stream and names it in the data browser.
    public var id: String
    /// The display text, with any inline `{…}`/`{{…}}` highlight markup removed.
    public var text: String
    /// Cosine similarity or activation of the whole text; higher is stronger.
    public var score: Double
    /// Per-token strings and activations, index-aligned (both or neither).
    public var tokens: [String]?
    public var activations: [Double]?
    /// Character ranges of `text` the input marked as highlighted with inline markup.
    public var markedSpans: [Range<Int>]
    public var embedding: [Float]?
    /// A precomputed 2-D position (used by `--layout given`).
    public var position: SIMD2<Double>?
    public var cluster: Int?
    /// Where the context came from (file line), for messages.
    public var line: Int

    public init(id: String, text: String, score: Double, tokens: [String]? = nil, activations: [Double]? = nil,
                markedSpans: [Range<Int>] = [], embedding: [Float]? = nil, position: SIMD2<Double>? = nil,
                cluster: Int? = nil, line: Int = 0) {
        self.id = id
        self.text = text
        self.score = score
        self.tokens = tokens
        self.activations = activations
        self.markedSpans = markedSpans
        self.embedding = embedding
        self.position = position
        self.cluster = cluster
        self.line = line
    }
}

/// A named set of contexts: one feature of a network (an SAE latent, a steering vector, …).
public struct Latent: Sendable, Equatable {
    /// File-name-safe identifier; names the output files.
    public var name: String
    public var title: String?
    public var model: String?
    public var layer: String?
    public var index: String?
    public var description: String?
    /// How `atlas select` chose the contexts, when it did (the header's `latent.selection`).
    public var selection: SelectionRecord?
    public var contexts: [Context]
    /// The file it was read from.
    public var source: String
    /// Problems that did not stop reading; each is reported and counted.
    public var warnings: [InputWarning]
    /// The input format it was read from, as `--verbose` and every format error name it.
    public var format: String = ""
    /// The tokenizer family of its contexts' tokens, decided once for the whole latent.
    public var tokenFamily: TokenFamily?
    /// Set when the latent is dead (no activation above 0): why; such a latent is not rendered.
    public var dead: String?

    public init(name: String, title: String? = nil, model: String? = nil, layer: String? = nil, index: String? = nil,
                description: String? = nil, contexts: [Context], source: String, warnings: [InputWarning] = []) {
        self.name = name
        self.title = title
        self.model = model
        self.layer = layer
        self.index = index
        self.description = description
        self.contexts = contexts
        self.source = source
        self.warnings = warnings
    }
}
