/// The colours of one style, shared by the decoder (painting) and the compositor (overlays, text).
public struct Palette: Sendable, Hashable, Codable, SettingsChecked {
    /// Page and empty-canvas colour.
    public var background: RGBColor
    /// Text, rings and lines.
    public var ink: RGBColor
    /// The semantic-highlight colour: only the words that drive the activation are painted in it.
    public var highlight: RGBColor
    /// Base colours the decoder draws region palettes from (embedding → position along this list).
    public var colors: [RGBColor]

    public init(background: RGBColor, ink: RGBColor, highlight: RGBColor, colors: [RGBColor]) {
        self.background = background
        self.ink = ink
        self.highlight = highlight
        self.colors = colors
    }

    public func check(_ check: inout SettingsCheck) {
        check.require(colors.count >= 2, "colors", "needs at least 2 colours, got \(colors.count)")
    }
}
