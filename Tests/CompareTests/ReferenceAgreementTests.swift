import AtlasCore
import Testing
@testable import Compare

/// Swift against the reference implementations on the pairs of `TestPatterns`: SSIM, PSNR and ΔE₀₀
/// within 1e-9 of scikit-image, mismatch and anti-aliasing counts and diff images identical to
/// pixelmatch's.
@Suite struct ReferenceAgreementTests {
    static let closeEnough = 1e-9

    @Test(arguments: ReferenceValues.all.map(\.name))
    func metricsMatchScikitImage(_ name: String) {
        let reference = ReferenceValues.all.first { $0.name == name }!
        let (a, b) = TestPatterns.pair(name)
        let report = ImageComparison.compare(a, b, tolerance: .standard)
        #expect(abs(report.ssim - reference.ssim) <= Self.closeEnough, "SSIM \(report.ssim) vs skimage \(reference.ssim)")
        if reference.psnr.isInfinite {
            #expect(report.psnr == .infinity)
        } else {
            #expect(abs(report.psnr - reference.psnr) <= Self.closeEnough, "PSNR \(report.psnr) vs skimage \(reference.psnr)")
        }
        #expect(abs(report.deltaE.mean - reference.deltaEMean) <= Self.closeEnough)
        #expect(abs(report.deltaE.p95 - reference.deltaEP95) <= Self.closeEnough)
        #expect(abs(report.deltaE.max - reference.deltaEMax) <= Self.closeEnough)
        #expect(report.maxChannelDifference == reference.maxChannelDifference)
        #expect(ImageComparison.ssim(a, b) == report.ssim)
        // Small tiles exercise tile seams and partly changed tiles; only the summation order changes.
        let tiled = StructuralSimilarity.mean(a, b, tileSize: (width: 13, height: 7))
        #expect(abs(tiled - reference.ssim) <= Self.closeEnough, "tiled SSIM \(tiled) vs skimage \(reference.ssim)")
        #expect(ImageComparison.psnr(a, b) == report.psnr)
    }

    @Test(arguments: ReferenceValues.all.map(\.name))
    func countsAndDiffImagesMatchPixelmatch(_ name: String) {
        let reference = ReferenceValues.all.first { $0.name == name }!
        let (a, b) = TestPatterns.pair(name)
        for count in reference.counts {
            let tolerance = Tolerance(threshold: count.threshold, includeAntialiasing: count.includeAA)
            let (report, diff) = ImageComparison.compareWithDiff(a, b, tolerance: tolerance, framingLargestArea: false)
            let setting = "threshold \(count.threshold), includeAA \(count.includeAA)"
            #expect(report.differingPixels == count.differing, "\(setting): \(report.differingPixels) vs pixelmatch \(count.differing)")
            #expect(report.antialiasedPixels == count.antialiased, "\(setting)")
            #expect(StableHash.fnv1a(diff.pixels) == count.diffHash, "\(setting): diff image differs from pixelmatch's")
            #expect(ImageComparison.compare(a, b, tolerance: tolerance) == report)
        }
    }
}
