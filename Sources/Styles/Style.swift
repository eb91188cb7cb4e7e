import AtlasCore
import Browser
import Composite
import Contexts
import Decode
import Encode
import Highlight
import Layout
import Select

/// A resolved style: every setting of every stage, from `Styles/*.yaml` after `extends:` and `--set`.
/// Styles are the only place look-and-feel lives; stage code reads its settings from here.
public struct Style: Sendable {
    public struct Settings: Codable, Sendable, Equatable, SettingsChecked {
        public var description: String
        public var seed: UInt64
        public var canvas: CanvasSettings
        public var palette: Palette
        public var input: InputSettings
        public var highlight: HighlightSettings
        public var layout: LayoutSettings
        public var decode: DecodeSettings
        public var composition: Composition
        /// Layers drawn, from `painting`, `heatmap`, `edges`, `circle`, `typography`, `furniture`.
        public var layers: [Layer]
        public var heatmap: HeatmapSettings
        public var edges: EdgeSettings
        public var circle: CircleSettings
        public var typography: TypographySettings
        public var print: PrintSettings
        public var output: OutputSettings
        /// `atlas select`: contexts kept and the score histogram.
        public var select: SelectSettings
        /// The data browser page written with `output.formats: [html]`.
        public var browser: BrowserSettings

        /// Every section's range checks; keys are dotted YAML paths.
        public func check(_ c: inout SettingsCheck) {
            c.nested("canvas", canvas)
            c.nested("palette", palette)
            c.nested("input", input)
            c.nested("highlight", highlight)
            c.nested("layout", layout)
            c.nested("decode", decode)
            c.nested("heatmap", heatmap)
            c.nested("edges", edges)
            c.nested("circle", circle)
            c.nested("typography", typography)
            c.nested("print", print)
            c.nested("output", output)
            c.nested("select", select)
            c.nested("browser", browser)
            c.require(Set(layers).count == layers.count, "layers", "lists a layer twice")
        }
    }

    /// The preset's name (or the file's, for a style given by path).
    public var name: String
    /// The files it was built from, most general first.
    public var files: [String]
    /// Hash of the fully resolved settings: two renders with the same hash used the same style.
    public var hash: String
    public var settings: Settings

    public var seed: UInt64 { settings.seed }

    /// The compositor's settings.
    public var composite: CompositeStyle {
        let s = settings
        return CompositeStyle(palette: s.palette, circle: s.circle, typography: s.typography, edges: s.edges, heatmap: s.heatmap,
                              print: s.print, composition: s.composition, layers: Set(s.layers))
    }
    public var description: String { settings.description }
}
