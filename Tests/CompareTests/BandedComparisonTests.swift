import AtlasCore
import Foundation
import Graphics
import Testing
@testable import Compare

/// The comparison runs band by band (files are streamed, never whole in memory): the report and
/// the difference image must not depend on the thread count, and files must give what the same
/// images in memory give.
@Suite struct BandedComparisonTests {
    /// A tall noisy pair spanning several bands and several chunks: a local change across the
    /// boundary of two bands, scattered changes, translucent pixels and an ignore region.
    static let pair: (a: RGBAImage, b: RGBAImage) = {
        let width = 203, height = 700
        var a = [UInt8](repeating: 0, count: width * height * 4)
        for i in 0..<(width * height) {
            let v = TestPatterns.hash32(UInt32(i))
            a[i * 4] = UInt8(truncatingIfNeeded: 90 + v % 40)
            a[i * 4 + 1] = UInt8(truncatingIfNeeded: 120 + (v >> 8) % 40)
            a[i * 4 + 2] = UInt8(truncatingIfNeeded: 60 + (v >> 16) % 40)
            a[i * 4 + 3] = i % 53 == 0 ? 128 : 255
        }
        var b = a
        for y in 120..<140 { for x in 50..<90 { for c in 0..<3 { b[(y * width + x) * 4 + c] ^= 0xff } } }
        for k in 0..<300 {
            let i = Int(TestPatterns.hash32(UInt32(k + 77)) % UInt32(width * height))
            b[i * 4] ^= 0x5a
        }
        return (RGBAImage(width: width, height: height, pixels: a), RGBAImage(width: width, height: height, pixels: b))
    }()
    static let tolerance = Tolerance(masks: [PixelRect(x: 10, y: 600, width: 30, height: 40), PixelRect(x: 20, y: 610, width: 30, height: 5)])

    @Test func reportAndDiffImageAreTheSameAtEveryThreadCount() throws {
        let (a, b) = Self.pair
        let (report, diff) = ImageComparison.compareWithDiff(a, b, tolerance: Self.tolerance, threads: 1)
        #expect(report.largestDifferingAreaBox == PixelRect(x: 50, y: 120, width: 40, height: 20), "the area joins across the band boundary at row 128")
        #expect(report.maskedPixels == 30 * 40 + 10 * 5)
        for threads in [2, 3, 8] {
            let (r, d) = ImageComparison.compareWithDiff(a, b, tolerance: Self.tolerance, threads: threads)
            #expect(r == report, "\(threads) threads")
            #expect(d == diff, "\(threads) threads")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]   // as `atlas diff --json` prints it
        #expect(try encoder.encode(ImageComparison.compare(a, b, tolerance: Self.tolerance, threads: 1))
            == encoder.encode(ImageComparison.compare(a, b, tolerance: Self.tolerance, threads: 5)))
    }

    @Test func filesGiveWhatTheImagesGive() throws {
        let (a, b) = Self.pair
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-banded-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try PNGFile.write(a, to: dir + "/a.png", options: PNGOptions(compressionLevel: 1))
        try PNGFile.write(b, to: dir + "/b.png", options: PNGOptions(compressionLevel: 1))
        let (report, diff) = ImageComparison.compareWithDiff(a, b, tolerance: Self.tolerance)
        for threads in [1, 3] {
            let fromFiles = try ImageComparison.compare(files: dir + "/a.png", dir + "/b.png", tolerance: Self.tolerance, threads: threads)
            #expect(fromFiles == report)
            try ImageComparison.writeDifference(files: dir + "/a.png", dir + "/b.png", tolerance: Self.tolerance, report: fromFiles,
                                                to: dir + "/d\(threads).png", threads: threads)
            #expect(try PNGFile.read(dir + "/d\(threads).png").image == diff)
        }
        // Sizes differ: the overlap is compared, A's pixels outside B are red.
        let taller = ImageComparison.difference(b, RGBAImage(width: 203, height: 300, fill: (1, 2, 3, 255)), tolerance: .standard,
                                                report: ImageComparison.compare(b, a, tolerance: .standard))
        #expect(taller.height == 700 && taller[5, 650] == SIMD4(255, 0, 0, 255))
    }

    /// Areas labelled band by band and joined equal the areas of the whole map at once, whatever
    /// the band height (U shapes, diagonals and runs that meet only across a boundary).
    @Test(arguments: [1, 2, 3, 7])
    func areasJoinedAcrossBandsEqualTheWholeMap(bandHeight: Int) {
        let width = 37, height = 41
        let d = DifferenceScan.Verdict.differing.rawValue
        for seed in 0..<20 {
            let map: [UInt8] = (0..<(width * height)).map { i in
                TestPatterns.hash32(UInt32(i * 31 + seed)) % 100 < 38 ? d : 0
            }
            let whole = DifferingAreas(verdicts: map, width: width, height: height)
            var banded = DifferingAreas()
            map.withUnsafeBufferPointer { v in
                for top in stride(from: 0, to: height, by: bandHeight) {
                    let rows = top..<min(top + bandHeight, height)
                    banded.add(DifferingAreas.Band(verdicts: v.baseAddress! + top * width, width: width, rows: rows))
                }
            }
            banded.finish()
            #expect(banded.count == whole.count && banded.largestPixels == whole.largestPixels && banded.largestBox == whole.largestBox,
                    "seed \(seed): \(banded.count)/\(whole.count) areas, largest \(banded.largestPixels)/\(whole.largestPixels)")
        }
    }

    /// The 95th percentile from the largest values kept band by band equals the one from all values.
    @Test func deltaEPercentileFromTheLargestValues() {
        let pixels = 20_000
        let values = (0..<12_000).map { Double(TestPatterns.hash32(UInt32($0)) % 100_000) / 1000 + 0.001 }
        var all = values
        let expected = DeltaESummary(nonZero: &all, pixelCount: pixels)
        var accumulator = DeltaESummary.Accumulator(pixelCount: pixels)
        for start in stride(from: 0, to: values.count, by: 300) { accumulator.add(Array(values[start..<min(start + 300, values.count)])) }
        #expect(accumulator.summary == expected)
    }
}
