import AtlasCore
import Testing
@testable import Compare

/// A noisy 4096² image (a golden comparison at poster size), cheap to make.
private func noisy(_ side: Int) -> RGBAImage {
    var px = [UInt8](repeating: 255, count: side * side * 4)
    for i in 0..<(side * side) {
        var v = UInt32(truncatingIfNeeded: i) &* 2_654_435_761
        v ^= v >> 13
        px[i * 4] = UInt8(truncatingIfNeeded: 90 + v % 40)
        px[i * 4 + 1] = UInt8(truncatingIfNeeded: 120 + (v >> 8) % 40)
        px[i * 4 + 2] = UInt8(truncatingIfNeeded: 60 + (v >> 16) % 40)
    }
    return RGBAImage(width: side, height: side, pixels: px)
}

@Suite struct DifferingAreaTests {
    static let side = 4096
    static let base = noisy(side)

    /// Issue 14 item 13: a 60 × 80 inverted block is 0.03 % of the pixels (under the share budget)
    /// but one connected area: it fails by default, and the report names its box.
    @Test func aLocalChangeFailsByDefault() {
        var changed = Self.base
        for y in 1000..<1080 {
            for x in 2000..<2060 {
                let i = (y * Self.side + x) * 4
                for c in 0..<3 { changed.pixels[i + c] = 255 - changed.pixels[i + c] }
            }
        }
        let (report, diff) = ImageComparison.compareWithDiff(changed, Self.base, tolerance: .standard)
        #expect(report.differingShare <= Tolerance.standard.maxDifferingShare)
        #expect(report.largestDifferingArea == report.differingPixels && report.largestDifferingArea > 4000)
        #expect(report.largestDifferingAreaBox == PixelRect(x: 2000, y: 1000, width: 60, height: 80))
        #expect(!report.passed)
        #expect(report.violations(of: .standard).contains { $0.contains("60×80 at 2000,1000") })
        // The diff image frames the area just outside its box.
        #expect(diff[1999, 1040] == SIMD4(255, 0, 255, 255) && diff[2060, 1040] == SIMD4(255, 0, 255, 255))
        #expect(diff[2030, 998] == SIMD4(255, 0, 255, 255))
        #expect(diff[2030, 1040].x == 255 && diff[2030, 1040].y == 0 && diff[2030, 1040].z == 0)
    }

    /// 1 500 scattered changed pixels form areas of one pixel: they pass.
    @Test func scatteredNoisePasses() {
        var changed = Self.base
        var state: UInt64 = 88_172_645_463_325_252
        for _ in 0..<1500 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            let i = Int(state % UInt64(Self.side * Self.side)) * 4
            for c in 0..<3 { changed.pixels[i + c] = 255 - changed.pixels[i + c] }
        }
        let report = ImageComparison.compare(changed, Self.base, tolerance: .standard)
        #expect(report.differingPixels > 1300)
        #expect(report.largestDifferingArea <= 3)
        #expect(report.passed)
    }

    /// Diagonal neighbours join one area; a gap of one pixel keeps two apart.
    @Test func areasAreEightConnected() {
        let d = DifferenceScan.Verdict.differing.rawValue, aa = DifferenceScan.Verdict.antialiased.rawValue
        let map: [UInt8] = [
            d, 0, 0, 0, d,
            0, d, 0, 0, d,
            0, 0, d, 0, aa,
            0, 0, 0, 0, d,
        ]
        let areas = DifferingAreas(verdicts: map, width: 5, height: 4)
        #expect(areas.count == 3)
        #expect(areas.largestPixels == 3 && areas.largestBox == PixelRect(x: 0, y: 0, width: 3, height: 3))
        // A U shape whose arms meet only at the bottom is one area.
        let u: [UInt8] = [d, 0, d, d, 0, d, d, d, d]
        let one = DifferingAreas(verdicts: u, width: 3, height: 3)
        #expect(one.count == 1 && one.largestPixels == 7)
    }

    @Test func theLimitIsAToleranceKey() {
        var t = Tolerance.standard
        t.maxDifferingArea = -1
        var check = SettingsCheck()
        t.check(&check)
        #expect(check.violations.map(\.key) == ["max_differing_area"])
    }
}
