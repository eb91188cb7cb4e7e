import AtlasCore

/// The data browser page (`output.formats` lists `html`): how its image is served.
public struct BrowserSettings: Codable, Sendable, Equatable, SettingsChecked {
    /// Side of a tile of the image pyramid, in pixels.
    public var tileSize: Int
    /// Pages whose longer side exceeds this many pixels are browsed through a tile pyramid
    /// (written in the same bands as the PNG); smaller pages show the PNG itself.
    public var tilesAbove: Int
    /// Deepest zoom, in screen pixels per image pixel.
    public var maxZoom: Double

    public init(tileSize: Int, tilesAbove: Int, maxZoom: Double) {
        self.tileSize = tileSize
        self.tilesAbove = tilesAbove
        self.maxZoom = maxZoom
    }

    public func check(_ check: inout SettingsCheck) {
        check.range("tile_size", tileSize, 64...4096)
        check.range("tiles_above", tilesAbove, 0...200_000)
        check.range("max_zoom", maxZoom, 1.0...64.0)
    }
}
