import AtlasCore

/// Everything data-dependent about one atlas, worked out before any drawing: the compositor only
/// draws a finished plan.
public struct AtlasPlan: Sendable {
    public struct Mark: Sendable {
        /// Canvas coordinates.
        public var center: SIMD2<Double>
        public var radius: Double
        public var color: RGBColor
        /// 0…1: how strongly the context's highlighted words drive it (0 = no highlight).
        public var highlight: Double

        public init(center: SIMD2<Double>, radius: Double, color: RGBColor, highlight: Double) {
            self.center = center
            self.radius = radius
            self.color = color
            self.highlight = highlight
        }
    }

    public var page: Page
    /// Regions drawn as soft discs when there is no decoded painting.
    public var marks: [Mark]
    public var title: String
    /// Model, layer and index, e.g. "gemma-2-2b · layer 20 · latent 1234".
    public var subtitle: String
    /// The latent's id, set along the bottom of the circle.
    public var latentID: String
    public var caption: String?

    public init(page: Page, marks: [Mark], title: String, subtitle: String, latentID: String, caption: String?) {
        self.page = page
        self.marks = marks
        self.title = title
        self.subtitle = subtitle
        self.latentID = latentID
        self.caption = caption
    }
}
