import AtlasCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Golden-image comparison: A is the actual render, B the expected (golden) one.
///
/// Masked pixels are treated as equal to A's in every metric. Translucent pixels are composited on
/// white (as pixelmatch blends them) for the colour metrics, PSNR and SSIM.
public enum ImageComparison {
    public static func compare(_ a: RGBAImage, _ b: RGBAImage, tolerance: Tolerance) -> ComparisonReport {
        let pair = AlignedPair(a, b, masks: tolerance.masks)
        return report(a, b, pair, DifferenceScan(pair, tolerance: tolerance, keepVerdicts: true), tolerance)
    }

    /// Changed pixels in red, anti-aliased ones in yellow, masked ones pale blue, over a faded grey copy
    /// of A (pixelmatch's diff output), and the largest connected area of changes framed in magenta.
    /// Where B does not cover A, pixels are red.
    public static func diffImage(_ a: RGBAImage, _ b: RGBAImage, tolerance: Tolerance) -> RGBAImage {
        compareWithDiff(a, b, tolerance: tolerance).diff
    }

    /// The report and the diff image from one scan (what `atlas diff --diff-out` needs).
    /// `framingLargestArea: false` leaves out the frame (pixelmatch's picture exactly).
    public static func compareWithDiff(_ a: RGBAImage, _ b: RGBAImage, tolerance: Tolerance, framingLargestArea: Bool = true)
        -> (report: ComparisonReport, diff: RGBAImage) {
        let pair = AlignedPair(a, b, masks: tolerance.masks)
        let scan = DifferenceScan(pair, tolerance: tolerance, keepVerdicts: true)
        let result = report(a, b, pair, scan, tolerance)
        return (result, DiffPainter.paint(a, pair: pair, verdicts: scan.verdicts, frame: framingLargestArea ? result.largestDifferingAreaBox : nil))
    }

    /// Mean SSIM over R, G, B (scikit-image's Gaussian-window SSIM); the overlap when sizes differ.
    public static func ssim(_ a: RGBAImage, _ b: RGBAImage) -> Double {
        let pair = AlignedPair(a, b, masks: [])
        return StructuralSimilarity.mean(pair.a, pair.b)
    }

    /// PSNR in dB over RGB with a data range of 255 (scikit-image's `peak_signal_noise_ratio`);
    /// `.infinity` for identical images.
    public static func psnr(_ a: RGBAImage, _ b: RGBAImage) -> Double {
        let pair = AlignedPair(a, b, masks: [])
        let scan = DifferenceScan(pair, tolerance: .standard, keepVerdicts: false)
        return psnr(squaredError: scan.squaredError, pixels: pair.width * pair.height)
    }

    static func psnr(squaredError: Double, pixels: Int) -> Double {
        guard squaredError > 0 else { return .infinity }
        let mse = squaredError / Double(3 * pixels)
        return 10 * log10(255 * 255 / mse)
    }

    private static func report(_ a: RGBAImage, _ b: RGBAImage, _ pair: AlignedPair, _ scan: DifferenceScan,
                               _ tolerance: Tolerance) -> ComparisonReport {
        let sizesMatch = a.width == b.width && a.height == b.height
        let compared = pair.comparedPixels
        let share = compared > 0 ? Double(scan.differingPixels) / Double(compared) : 0
        // No colour differs after compositing: SSIM is exactly 1 without a windowed pass.
        let ssim = scan.squaredError == 0 ? 1 : StructuralSimilarity.mean(pair.a, pair.b)
        let areas = DifferingAreas(verdicts: scan.verdicts, width: pair.width, height: pair.height)
        let passed = sizesMatch && share <= tolerance.maxDifferingShare && areas.largestPixels <= tolerance.maxDifferingArea
            && ssim >= (tolerance.minSSIM ?? -1)
        return ComparisonReport(
            sizesMatch: sizesMatch, width: a.width, height: a.height, otherWidth: b.width, otherHeight: b.height,
            comparedPixels: compared, maskedPixels: pair.maskedPixels,
            differingPixels: scan.differingPixels, differingShare: share, antialiasedPixels: scan.antialiasedPixels,
            largestDifferingArea: areas.largestPixels, largestDifferingAreaBox: areas.largestBox,
            maxChannelDifference: scan.maxChannelDifference,
            psnr: psnr(squaredError: scan.squaredError, pixels: pair.width * pair.height),
            ssim: ssim, deltaE: scan.deltaE, passed: passed)
    }
}
