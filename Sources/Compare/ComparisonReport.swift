import AtlasCore

/// Every metric of one comparison of A (actual) with B (expected). JSON keys are snake_case plain
/// names (`ssim`, `psnr`, `differing_pixels`, …); an infinite PSNR (identical images) is `null`.
///
/// When the sizes differ the comparison fails, and the metrics describe the overlapping top-left
/// region only.
public struct ComparisonReport: Codable, Sendable, Equatable {
    public var sizesMatch: Bool
    /// Size of A.
    public var width: Int
    public var height: Int
    /// Size of B.
    public var otherWidth: Int
    public var otherHeight: Int
    /// Pixels compared: the overlap of A and B less the masked ones.
    public var comparedPixels: Int
    public var maskedPixels: Int
    /// Pixels above the colour threshold that are not anti-aliasing (pixelmatch's count).
    public var differingPixels: Int
    /// `differingPixels / comparedPixels`.
    public var differingShare: Double
    /// Pixels above the threshold that were excused as anti-aliasing (counted as differing instead
    /// when the tolerance includes anti-aliasing).
    public var antialiasedPixels: Int
    /// Pixels in the largest connected (8-neighbour) area of differing pixels, and its bounding box.
    public var largestDifferingArea: Int
    public var largestDifferingAreaBox: PixelRect?
    /// Largest difference of one 8-bit channel, alpha included.
    public var maxChannelDifference: Int
    /// Peak signal-to-noise ratio in dB over RGB (composited on white), `.infinity` when identical.
    public var psnr: Double
    /// Mean over R, G, B of Gaussian-window SSIM (scikit-image's `structural_similarity`).
    public var ssim: Double
    public var deltaE: DeltaESummary
    public var passed: Bool

    public init(sizesMatch: Bool, width: Int, height: Int, otherWidth: Int, otherHeight: Int,
                comparedPixels: Int, maskedPixels: Int, differingPixels: Int, differingShare: Double,
                antialiasedPixels: Int, largestDifferingArea: Int = 0, largestDifferingAreaBox: PixelRect? = nil,
                maxChannelDifference: Int, psnr: Double, ssim: Double,
                deltaE: DeltaESummary, passed: Bool) {
        self.sizesMatch = sizesMatch
        self.width = width
        self.height = height
        self.otherWidth = otherWidth
        self.otherHeight = otherHeight
        self.comparedPixels = comparedPixels
        self.maskedPixels = maskedPixels
        self.differingPixels = differingPixels
        self.differingShare = differingShare
        self.antialiasedPixels = antialiasedPixels
        self.largestDifferingArea = largestDifferingArea
        self.largestDifferingAreaBox = largestDifferingAreaBox
        self.maxChannelDifference = maxChannelDifference
        self.psnr = psnr
        self.ssim = ssim
        self.deltaE = deltaE
        self.passed = passed
    }

    enum CodingKeys: String, CodingKey {
        case sizesMatch = "sizes_match"
        case width, height
        case otherWidth = "other_width"
        case otherHeight = "other_height"
        case comparedPixels = "compared_pixels"
        case maskedPixels = "masked_pixels"
        case differingPixels = "differing_pixels"
        case differingShare = "differing_share"
        case antialiasedPixels = "antialiased_pixels"
        case largestDifferingArea = "largest_differing_area"
        case largestDifferingAreaBox = "largest_differing_area_box"
        case maxChannelDifference = "max_channel_difference"
        case psnr, ssim
        case deltaE = "delta_e"
        case passed
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sizesMatch = try c.decode(Bool.self, forKey: .sizesMatch)
        width = try c.decode(Int.self, forKey: .width)
        height = try c.decode(Int.self, forKey: .height)
        otherWidth = try c.decode(Int.self, forKey: .otherWidth)
        otherHeight = try c.decode(Int.self, forKey: .otherHeight)
        comparedPixels = try c.decode(Int.self, forKey: .comparedPixels)
        maskedPixels = try c.decode(Int.self, forKey: .maskedPixels)
        differingPixels = try c.decode(Int.self, forKey: .differingPixels)
        differingShare = try c.decode(Double.self, forKey: .differingShare)
        antialiasedPixels = try c.decode(Int.self, forKey: .antialiasedPixels)
        largestDifferingArea = try c.decodeIfPresent(Int.self, forKey: .largestDifferingArea) ?? 0
        largestDifferingAreaBox = try c.decodeIfPresent(PixelRect.self, forKey: .largestDifferingAreaBox)
        maxChannelDifference = try c.decode(Int.self, forKey: .maxChannelDifference)
        psnr = try c.decodeIfPresent(Double.self, forKey: .psnr) ?? .infinity
        ssim = try c.decode(Double.self, forKey: .ssim)
        deltaE = try c.decode(DeltaESummary.self, forKey: .deltaE)
        passed = try c.decode(Bool.self, forKey: .passed)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sizesMatch, forKey: .sizesMatch)
        try c.encode(width, forKey: .width)
        try c.encode(height, forKey: .height)
        try c.encode(otherWidth, forKey: .otherWidth)
        try c.encode(otherHeight, forKey: .otherHeight)
        try c.encode(comparedPixels, forKey: .comparedPixels)
        try c.encode(maskedPixels, forKey: .maskedPixels)
        try c.encode(differingPixels, forKey: .differingPixels)
        try c.encode(differingShare, forKey: .differingShare)
        try c.encode(antialiasedPixels, forKey: .antialiasedPixels)
        try c.encode(largestDifferingArea, forKey: .largestDifferingArea)
        try c.encode(largestDifferingAreaBox, forKey: .largestDifferingAreaBox)
        try c.encode(maxChannelDifference, forKey: .maxChannelDifference)
        // JSON has no infinity: identical images have no finite PSNR.
        if psnr.isFinite { try c.encode(psnr, forKey: .psnr) } else { try c.encodeNil(forKey: .psnr) }
        try c.encode(ssim, forKey: .ssim)
        try c.encode(deltaE, forKey: .deltaE)
        try c.encode(passed, forKey: .passed)
    }
}
