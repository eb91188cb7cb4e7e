import AtlasCore

/// Every setting the compositor reads, gathered from the style.
public struct CompositeStyle: Sendable, Equatable {
    public var palette: Palette
    public var circle: CircleSettings
    public var typography: TypographySettings
    public var edges: EdgeSettings
    public var heatmap: HeatmapSettings
    public var print: PrintSettings
    public var composition: Composition
    public var layers: Set<Layer>

    public init(palette: Palette, circle: CircleSettings, typography: TypographySettings, edges: EdgeSettings,
                heatmap: HeatmapSettings, print: PrintSettings, composition: Composition, layers: Set<Layer>) {
        self.palette = palette
        self.circle = circle
        self.typography = typography
        self.edges = edges
        self.heatmap = heatmap
        self.print = print
        self.composition = composition
        self.layers = layers
    }
}
