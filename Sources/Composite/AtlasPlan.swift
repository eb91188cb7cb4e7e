import AtlasCore

/// Everything data-dependent about one atlas, worked out before any drawing: the compositor only
/// draws a finished plan (datamapplot's planning/rendering split).
public struct AtlasPlan: Sendable {
    /// A region as a soft disc, drawn when there is no decoded painting.
    public struct Mark: Sendable {
        public var center: SIMD2<Double>
        public var radius: Double
        public var color: RGBColor
        /// 0…1: how strongly the context's highlighted words drive it.
        public var highlight: Double

        public init(center: SIMD2<Double>, radius: Double, color: RGBColor, highlight: Double) {
            self.center = center
            self.radius = radius
            self.color = color
            self.highlight = highlight
        }
    }

    /// A kNN edge between two region centres (page coordinates) with its fuzzy-union weight 0…1.
    public struct EdgeLine: Sendable {
        public var from: SIMD2<Double>
        public var to: SIMD2<Double>
        public var weight: Double

        public init(from: SIMD2<Double>, to: SIMD2<Double>, weight: Double) {
            self.from = from
            self.to = to
            self.weight = weight
        }
    }

    public struct Label: Sendable {
        public var text: String
        public var at: SIMD2<Double>
        /// How much the label matters (its cluster's size): where labels would overlap, the weaker goes.
        public var weight: Double

        public init(text: String, at: SIMD2<Double>, weight: Double = 1) {
            self.text = text
            self.at = at
            self.weight = weight
        }
    }

    /// One step of the score legend: a score and the region radius (page units) it gets.
    public struct LegendEntry: Sendable {
        public var score: Double
        public var radius: Double

        public init(score: Double, radius: Double) {
            self.score = score
            self.radius = radius
        }
    }

    public var page: Page
    public var marks: [Mark]
    public var edges: [EdgeLine]
    public var clusterLabels: [Label]
    public var legend: [LegendEntry]
    public var density: DensityGrid?
    public var title: String
    /// Model, layer and index, e.g. "gemma-2-2b · layer 20 · latent 1234".
    public var subtitle: String
    /// The latent's id, set along the bottom of the circle.
    public var latentID: String
    public var caption: String?
    /// The text, legend and labels as placed (`Compositor.typeset`, once per render); empty until then.
    public var typeset: TypesetPage
    /// Whether this plan sets the style's credits (a pair sets them once, on its right half).
    public var drawsCredits = true
    /// Other atlases on the same sheet (a pair's right half), drawn after this one with the same
    /// style; the sheet's furniture (crop marks) is this plan's alone.
    public var companions: [AtlasPlan] = []

    public init(page: Page, marks: [Mark], edges: [EdgeLine], clusterLabels: [Label], legend: [LegendEntry],
                density: DensityGrid?, title: String, subtitle: String, latentID: String, caption: String?,
                typeset: TypesetPage = TypesetPage()) {
        self.page = page
        self.marks = marks
        self.edges = edges
        self.clusterLabels = clusterLabels
        self.legend = legend
        self.density = density
        self.title = title
        self.subtitle = subtitle
        self.latentID = latentID
        self.caption = caption
        self.typeset = typeset
    }
}
