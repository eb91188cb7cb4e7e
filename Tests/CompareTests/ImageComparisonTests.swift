import AtlasCore
import Foundation
import Testing
@testable import Compare

@Suite struct ImageComparisonTests {
    let scene = TestPatterns.scene(96, 72).opaque()
    let recoloured = TestPatterns.recolourBlock(TestPatterns.scene(96, 72), x0: 20, y0: 10, x1: 40, y1: 30,
                                                TestPatterns.RGB(200, 40, 40)).opaque()

    @Test func identicalImagesPassWithPerfectScores() {
        let report = ImageComparison.compare(scene, scene, tolerance: .exact)
        #expect(report.passed && report.sizesMatch)
        #expect(report.differingPixels == 0 && report.maxChannelDifference == 0)
        #expect(report.ssim == 1 && report.psnr == .infinity && report.deltaE == .zero)
    }

    @Test func shareDecidesPassing() {
        let report = ImageComparison.compare(scene, recoloured, tolerance: .standard)
        #expect(report.differingPixels == 382)
        #expect(report.differingShare == 382.0 / Double(96 * 72))
        #expect(!report.passed)
        #expect(ImageComparison.compare(scene, recoloured, tolerance: Tolerance(maxDifferingShare: 0.06, maxDifferingArea: 400)).passed)
    }

    @Test func minSSIMIsAnExtraGate() {
        let loose = Tolerance(maxDifferingShare: 1, maxDifferingArea: .max)
        #expect(ImageComparison.compare(scene, recoloured, tolerance: loose).passed)
        var gated = loose
        gated.minSSIM = 0.95
        #expect(!ImageComparison.compare(scene, recoloured, tolerance: gated).passed)
    }

    @Test func maskedRegionsAreIgnoredByEveryMetric() {
        let tolerance = Tolerance(threshold: 0, includeAntialiasing: true, maxDifferingShare: 0,
                                  masks: [PixelRect(x: 18, y: 8, width: 10, height: 24), PixelRect(x: 25, y: 8, width: 16, height: 24)])
        let report = ImageComparison.compare(scene, recoloured, tolerance: tolerance)
        #expect(report.passed)
        #expect(report.maskedPixels == 23 * 24)
        #expect(report.comparedPixels == 96 * 72 - 23 * 24)
        #expect(report.psnr == .infinity && report.ssim == 1)
        let diff = ImageComparison.diffImage(scene, recoloured, tolerance: tolerance)
        let masked = diff[20, 10], plain = diff[60, 60]
        #expect(masked.z == 255 && masked.x < masked.z, "masked pixels are tinted blue")
        #expect(plain.x == plain.y && plain.y == plain.z)
    }

    @Test func differentSizesFailAndCompareTheOverlap() {
        let larger = TestPatterns.scene(100, 72).opaque()
        let cropped = RGBAImage(width: 96, height: 72, pixels: (0..<72).flatMap { y in larger.pixels[(y * 400)..<(y * 400 + 96 * 4)] })
        let report = ImageComparison.compare(cropped, larger, tolerance: .standard)
        #expect(!report.sizesMatch && !report.passed)
        #expect(report.width == 96 && report.otherWidth == 100)
        #expect(report.differingPixels == 0)
        let diff = ImageComparison.diffImage(larger, cropped, tolerance: .standard)
        #expect(diff.width == 100 && diff[98, 5] == SIMD4(255, 0, 0, 255), "A's pixels outside B are red")
    }

    @Test func imagesSmallerThanTheWindowUseOneWindow() {
        let tiny = TestPatterns.gradient(8, 6).opaque()
        #expect(ImageComparison.ssim(tiny, tiny) == 1)
        let noisy = TestPatterns.withNoise(TestPatterns.gradient(8, 6), seed: 1, amplitude: 20).opaque()
        let value = ImageComparison.ssim(tiny, noisy)
        #expect(value > 0 && value < 1)
    }

    @Test(arguments: [(1, 1), (2, 1), (3, 3), (11, 11)])
    func tinyImagesCompare(_ width: Int, _ height: Int) {
        let a = RGBAImage(width: width, height: height, fill: (10, 20, 30, 255))
        let b = RGBAImage(width: width, height: height, fill: (200, 20, 30, 255))
        let report = ImageComparison.compare(a, b, tolerance: .standard)
        #expect(report.differingPixels == width * height)
        #expect(report.deltaE.p95 == report.deltaE.max && report.deltaE.max > 30)
        // Flat images: only the means differ, in red alone.
        let c1 = StructuralSimilarity.c1
        let red = (2 * 10 * 200 + c1) / (10 * 10 + 200 * 200 + c1)
        #expect(abs(report.ssim - (red + 2) / 3) < 1e-12)
        #expect(abs(report.psnr - 10 * log10(255 * 255 * 3 / (190.0 * 190))) < 1e-12)
    }

    @Test func fullyMaskedComparisonPasses() {
        let everything = PixelRect(x: -5, y: -5, width: 200, height: 200)
        let report = ImageComparison.compare(scene, recoloured, tolerance: Tolerance(masks: [everything]))
        #expect(report.passed && report.comparedPixels == 0 && report.differingShare == 0)
    }

    @Test func jsonUsesPlainSnakeCaseNamesAndNullForInfinitePSNR() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let identical = try String(decoding: encoder.encode(ImageComparison.compare(scene, scene, tolerance: .standard)), as: UTF8.self)
        #expect(identical.contains("\"psnr\":null"))
        for key in ["ssim", "differing_pixels", "differing_share", "antialiased_pixels", "max_channel_difference",
                    "sizes_match", "delta_e", "p95", "passed"] {
            #expect(identical.contains("\"\(key)\":"), "missing \(key)")
        }
        let report = ImageComparison.compare(scene, recoloured, tolerance: .standard)
        for original in [report, ImageComparison.compare(scene, scene, tolerance: .standard)] {
            let decoded = try JSONDecoder().decode(ComparisonReport.self, from: encoder.encode(original))
            #expect(decoded == original)
        }
    }

    @Test func summaryNamesEveryMetric() {
        let summary = ImageComparison.compare(scene, recoloured, tolerance: .standard).summary
        #expect(summary.hasPrefix("differing pixels: 382 of 6912 (5.527 %)\nanti-aliased pixels: 18\n"))
        #expect(summary.contains("\nSSIM: 0.929083\n"))
        #expect(summary.hasSuffix("\nfailed"))
        #expect(ImageComparison.compare(scene, scene, tolerance: .standard).summary.contains("PSNR: ∞ (identical)"))
    }

    @Test func toleranceFilesOnlyNameWhatTheyChange() throws {
        let json = #"{"threshold": 0.2, "masks": [{"x": 1, "y": 2, "width": 3, "height": 4}]}"#
        let tolerance = try JSONDecoder().decode(Tolerance.self, from: Data(json.utf8))
        #expect(tolerance.threshold == 0.2)
        #expect(tolerance.maxDifferingShare == Tolerance.standard.maxDifferingShare)
        #expect(tolerance.masks == [PixelRect(x: 1, y: 2, width: 3, height: 4)])
        var check = SettingsCheck()
        Tolerance(threshold: 1.5, masks: [PixelRect(x: 0, y: 0, width: 0, height: 2)]).check(&check)
        #expect(check.violations.map(\.key) == ["threshold", "masks[0]"])
    }

    @Test func percentileMatchesASortedReference() {
        var values = (0..<1000).map { Double(TestPatterns.hash32(UInt32($0)) % 10_000) / 100 + 0.01 }
        let sorted = ([Double](repeating: 0, count: 3000) + values).sorted()
        let position = 0.95 * Double(sorted.count - 1)
        let lower = Int(position)
        let expected = sorted[lower] + (sorted[lower + 1] - sorted[lower]) * (position - Double(lower))
        let summary = DeltaESummary(nonZero: &values, pixelCount: 4000)
        #expect(abs(summary.p95 - expected) < 1e-12)
        #expect(summary.max == sorted.last)
        #expect(abs(summary.mean - sorted.reduce(0, +) / 4000) < 1e-12)
    }
}
