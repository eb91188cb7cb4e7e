import AtlasCore

/// How far a render may stray from its golden image and still pass.
///
/// Two separate budgets, as in swift-snapshot-testing: how different one pixel must be to count
/// (`threshold`, pixelmatch's perceptual YIQ threshold) and how many such pixels are allowed
/// (`maxDifferingShare`), plus a local budget: how large one connected area of differing pixels may
/// be (`maxDifferingArea`), so a real local change fails even when it is a tiny share of a big
/// image while scattered noise passes. `minSSIM` is an optional structural gate on top.
public struct Tolerance: Codable, Sendable, Equatable {
    /// pixelmatch colour threshold 0…1; smaller is stricter.
    public var threshold: Double
    /// Count pixels on anti-aliased edges as differences too (pixelmatch `includeAA`).
    public var includeAntialiasing: Bool
    /// Fraction (0…1) of the compared pixels that may differ.
    public var maxDifferingShare: Double
    /// Pixels the largest connected area (8-neighbour) of differing pixels may have.
    public var maxDifferingArea: Int
    /// When set, SSIM below this fails the comparison.
    public var minSSIM: Double?
    /// Ignore regions: pixels inside them are treated as equal to A's in every metric.
    public var masks: [PixelRect]

    public init(threshold: Double = 0.1, includeAntialiasing: Bool = false, maxDifferingShare: Double = 0.001,
                maxDifferingArea: Int = Tolerance.defaultMaxDifferingArea, minSSIM: Double? = nil, masks: [PixelRect] = []) {
        self.threshold = threshold
        self.includeAntialiasing = includeAntialiasing
        self.maxDifferingShare = maxDifferingShare
        self.maxDifferingArea = maxDifferingArea
        self.minSSIM = minSSIM
        self.masks = masks
    }

    /// A 16 × 16 patch: smaller than one word of the finest type a poster sets, and far above what
    /// independent noise forms (1 500 pixels scattered over 4096² make areas of one or two pixels).
    public static let defaultMaxDifferingArea = 256

    /// pixelmatch's default threshold, anti-aliasing ignored, at most 0.1 % of pixels differing and
    /// no connected area of more than 256 differing pixels.
    public static let standard = Tolerance()

    /// Nothing may differ at all (threshold 0 counts every changed pixel).
    public static let exact = Tolerance(threshold: 0, includeAntialiasing: true, maxDifferingShare: 0, maxDifferingArea: 0)

    enum CodingKeys: String, CodingKey {
        case threshold
        case includeAntialiasing = "include_antialiasing"
        case maxDifferingShare = "max_differing_share"
        case maxDifferingArea = "max_differing_area"
        case minSSIM = "min_ssim"
        case masks
    }

    /// Missing keys take their defaults, so a settings file only names what it changes.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Tolerance.standard
        threshold = try c.decodeIfPresent(Double.self, forKey: .threshold) ?? d.threshold
        includeAntialiasing = try c.decodeIfPresent(Bool.self, forKey: .includeAntialiasing) ?? d.includeAntialiasing
        maxDifferingShare = try c.decodeIfPresent(Double.self, forKey: .maxDifferingShare) ?? d.maxDifferingShare
        maxDifferingArea = try c.decodeIfPresent(Int.self, forKey: .maxDifferingArea) ?? d.maxDifferingArea
        minSSIM = try c.decodeIfPresent(Double.self, forKey: .minSSIM)
        masks = try c.decodeIfPresent([PixelRect].self, forKey: .masks) ?? []
    }
}

extension Tolerance: SettingsChecked {
    public func check(_ check: inout SettingsCheck) {
        check.range("threshold", threshold, 0...1)
        check.range("max_differing_share", maxDifferingShare, 0...1)
        check.require(maxDifferingArea >= 0, "max_differing_area", "is \(maxDifferingArea); must be 0 or more pixels")
        if let minSSIM { check.range("min_ssim", minSSIM, -1...1) }
        for (i, m) in masks.enumerated() {
            check.require(!m.isEmpty, "masks[\(i)]", "is empty (\(m.width)×\(m.height)); width and height must be positive")
        }
    }
}
