import AtlasCore
import Graphics

/// How a layer combines with what is below it (blended in float, per W3C compositing).
public enum BlendMode: String, Codable, Sendable, CaseIterable {
    case normal, multiply, screen, overlay, softLight = "soft_light", add
}

/// The switchable layers of an atlas, bottom to top (the background is always there).
public enum Layer: String, Codable, Sendable, CaseIterable, Comparable {
    case painting, heatmap, edges, circle, typography, furniture

    public static func < (a: Layer, b: Layer) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }

    /// Layers drawn as vectors (Cairo paths and text); the others are rasters composited per tile.
    public var isVector: Bool { self == .edges || self == .circle || self == .typography || self == .furniture }
}

/// One atlas on the page, the heatmap panel beside the atlas (a diptych), or two latents' atlases
/// side by side (a pair: `atlas render A B --composition pair`).
public enum Composition: String, Codable, Sendable, CaseIterable {
    case single, diptych, pair
}

public enum HeatmapMode: String, Codable, Sendable, CaseIterable {
    /// Blended over the painting.
    case overlay
    /// Only in its own panel (with `composition: diptych`), or alone when there is no painting.
    case panel
}

/// Kernel density of where regions land, weighted by score and area.
public struct HeatmapSettings: Codable, Sendable, Equatable, SettingsChecked {
    public var mode: HeatmapMode
    public var colormap: ColorMap
    /// Gaussian kernel width as a fraction of the atlas radius.
    public var bandwidth: Double
    public var opacity: Double
    public var blend: BlendMode
    /// Density grid cells across the atlas diameter (the grid is smoothly interpolated to pixels).
    public var resolution: Int

    public init(mode: HeatmapMode, colormap: ColorMap, bandwidth: Double, opacity: Double, blend: BlendMode, resolution: Int) {
        self.mode = mode
        self.colormap = colormap
        self.bandwidth = bandwidth
        self.opacity = opacity
        self.blend = blend
        self.resolution = resolution
    }

    public func check(_ check: inout SettingsCheck) {
        check.range("bandwidth", bandwidth, 0.005...1.0)
        check.range("opacity", opacity, 0.0...1.0)
        check.range("resolution", resolution, 16...4096)
    }
}

public enum EdgeShape: String, Codable, Sendable, CaseIterable {
    case straight
    /// Arcs bending toward the atlas centre.
    case curved
}

/// The kNN edge graph from the layout.
public struct EdgeSettings: Codable, Sendable, Equatable, SettingsChecked {
    public var shape: EdgeShape
    /// How far an arc bends toward the centre (0 = straight, 1 = through the centre).
    public var curvature: Double
    /// Line width of the strongest edge, as a fraction of the page's short side.
    public var width: Double
    /// Opacity of the strongest edge; weaker edges fade with their weight.
    public var opacity: Double
    /// Edges weaker than this fuzzy-union weight are not drawn.
    public var minWeight: Double
    /// Each node keeps only its this many strongest edges (0 = all), so a dense graph reads as
    /// structure over the painting instead of a web.
    public var perNode: Int
    /// A background-coloured outline under each edge keeps it legible over the painting.
    public var halo: Double
    public var color: RGBColor

    public init(shape: EdgeShape, curvature: Double, width: Double, opacity: Double, minWeight: Double, perNode: Int = 2,
                halo: Double, color: RGBColor) {
        self.perNode = perNode
        self.shape = shape
        self.curvature = curvature
        self.width = width
        self.opacity = opacity
        self.minWeight = minWeight
        self.halo = halo
        self.color = color
    }

    public func check(_ check: inout SettingsCheck) {
        check.range("curvature", curvature, 0.0...1.0)
        check.range("width", width, 0.0...0.02)
        check.range("opacity", opacity, 0.0...1.0)
        check.range("min_weight", minWeight, 0.0...1.0)
        check.range("per_node", perNode, 0...1000)
        check.range("halo", halo, 0.0...10.0)
    }
}

/// Print furniture: bleed around the trimmed page and crop marks in it.
public struct PrintSettings: Codable, Sendable, Equatable, SettingsChecked {
    /// Extra printed area beyond the trim, in millimetres (0 = none).
    public var bleed: Double
    public var cropMarks: Bool

    public init(bleed: Double, cropMarks: Bool) {
        self.bleed = bleed
        self.cropMarks = cropMarks
    }

    public func check(_ check: inout SettingsCheck) {
        check.range("bleed", bleed, 0.0...50.0)
    }
}
