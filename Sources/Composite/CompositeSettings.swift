import AtlasCore

/// The page: pixel size of the raster, its physical resolution and the space around the atlas disc.
public struct CanvasSettings: Codable, Sendable, Equatable, SettingsChecked {
    public var width: Int
    public var height: Int
    /// Dots per inch of the print; with the pixel size this fixes the physical page size.
    public var dpi: Double
    /// Space between the atlas circle and the page edge, as a fraction of the page's short side.
    public var margin: Double

    public init(width: Int, height: Int, dpi: Double, margin: Double) {
        self.width = width
        self.height = height
        self.dpi = dpi
        self.margin = margin
    }

    public func check(_ check: inout SettingsCheck) {
        check.range("width", width, 16...200_000)
        check.range("height", height, 16...200_000)
        check.range("dpi", dpi, 1.0...2400.0)
        check.range("margin", margin, 0.0...0.45)
    }
}

/// The ring around the atlas: outer circle, inner rings and ticks.
public struct CircleSettings: Codable, Sendable, Equatable, SettingsChecked {
    public var show: Bool
    /// Line width as a fraction of the page's short side.
    public var width: Double
    public var opacity: Double
    /// Evenly spaced concentric rings inside the outer one (score bands).
    public var innerRings: Int
    public var innerOpacity: Double
    /// Tick marks around the ring (0 = none) and their length as a fraction of the short side.
    public var ticks: Int
    public var tickLength: Double

    public init(show: Bool, width: Double, opacity: Double, innerRings: Int, innerOpacity: Double, ticks: Int, tickLength: Double) {
        self.show = show
        self.width = width
        self.opacity = opacity
        self.innerRings = innerRings
        self.innerOpacity = innerOpacity
        self.ticks = ticks
        self.tickLength = tickLength
    }

    public func check(_ check: inout SettingsCheck) {
        check.range("width", width, 0.0...0.05)
        check.range("opacity", opacity, 0.0...1.0)
        check.range("inner_rings", innerRings, 0...20)
        check.range("inner_opacity", innerOpacity, 0.0...1.0)
        check.range("ticks", ticks, 0...720)
        check.range("tick_length", tickLength, 0.0...0.1)
    }
}

/// Text on the page. Sizes are fractions of the page's short side so presets scale.
public struct TypographySettings: Codable, Sendable, Equatable, SettingsChecked {
    public var family: String
    public var titleSize: Double
    public var titleWeight: Int
    public var subtitleSize: Double
    public var bodySize: Double
    public var letterSpacing: Double
    /// Set the title and latent id along the circle (true) or as a straight heading (false).
    public var titleOnCircle: Bool
    public var showTitle: Bool
    public var showSubtitle: Bool
    public var showCredits: Bool
    public var credits: String
    /// The score → region size key in a corner.
    public var showLegend: Bool
    /// Each cluster's label at its centre of mass.
    public var showClusterLabels: Bool
    public var clusterLabelSize: Double

    public init(family: String, titleSize: Double, titleWeight: Int, subtitleSize: Double, bodySize: Double, letterSpacing: Double,
                titleOnCircle: Bool, showTitle: Bool, showSubtitle: Bool, showCredits: Bool, credits: String,
                showLegend: Bool, showClusterLabels: Bool, clusterLabelSize: Double) {
        self.family = family
        self.titleSize = titleSize
        self.titleWeight = titleWeight
        self.subtitleSize = subtitleSize
        self.bodySize = bodySize
        self.letterSpacing = letterSpacing
        self.titleOnCircle = titleOnCircle
        self.showTitle = showTitle
        self.showSubtitle = showSubtitle
        self.showCredits = showCredits
        self.credits = credits
        self.showLegend = showLegend
        self.showClusterLabels = showClusterLabels
        self.clusterLabelSize = clusterLabelSize
    }

    public func check(_ check: inout SettingsCheck) {
        check.require(!family.isEmpty, "family", "must name a font family")
        check.range("title_size", titleSize, 0.0...0.2)
        check.range("title_weight", titleWeight, 100...1000)
        check.range("subtitle_size", subtitleSize, 0.0...0.2)
        check.range("body_size", bodySize, 0.0...0.2)
        check.range("letter_spacing", letterSpacing, -0.2...1.0)
        check.range("cluster_label_size", clusterLabelSize, 0.0...0.2)
    }
}
