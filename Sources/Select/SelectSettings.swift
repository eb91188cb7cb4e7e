import AtlasCore

/// The `select:` section of a style: how many contexts `atlas select` keeps and how its score
/// histogram is drawn (the colours and font come from `palette` and `typography.family`).
public struct SelectSettings: Codable, Sendable, Equatable, SettingsChecked {
    /// Contexts kept (also `--top`).
    public var top: Int
    /// Histogram size in pixels.
    public var histogramWidth: Int
    public var histogramHeight: Int
    /// Freedman–Diaconis bins, at most this many (and at least 10).
    public var maxBins: Int

    public init(top: Int = 250, histogramWidth: Int = 1600, histogramHeight: Int = 900, maxBins: Int = 160) {
        self.top = top; self.histogramWidth = histogramWidth; self.histogramHeight = histogramHeight; self.maxBins = maxBins
    }

    public func check(_ check: inout SettingsCheck) {
        check.range("top", top, 1...1_000_000)
        check.range("histogram_width", histogramWidth, 320...8192)
        check.range("histogram_height", histogramHeight, 200...8192)
        check.range("max_bins", maxBins, 10...2000)
    }
}
