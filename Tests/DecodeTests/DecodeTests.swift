import AtlasCore
import Testing
@testable import Decode

private let palette = Palette(background: RGBColor(hex: "#f4efe6")!, ink: RGBColor(hex: "#1d1b19")!,
                              highlight: RGBColor(hex: "#e4572e")!,
                              colors: ["#264653", "#2a9d8f", "#8ab17d", "#e9c46a", "#6d597a"].compactMap(RGBColor.init(hex:)))

private func features(_ seed: Int) -> [Float] {
    let r = CounterRandom(seed: UInt64(seed))
    let v = (0..<32).map { Float(r.gaussian(UInt64($0))) }
    let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return v.map { $0 / n }
}

private func paint(_ regions: [Region], size: Int = 192, threads: Int? = nil, settings: DecodeSettings = .standard) throws -> FloatImage {
    var decoder = Decoder(settings: settings, palette: palette)
    if let threads { decoder.maxThreads = threads }
    return try decoder.paint(regions: regions, width: size, height: size, seed: 11).image()
}

/// Pixels whose colour is within a small OKLab distance of the highlight colour.
private func highlightPixels(_ image: FloatImage) -> Int {
    let h = palette.highlight.oklab
    var count = 0
    for i in 0..<(image.width * image.height) {
        let c = RGBColor(red: Double(image.values[i * 3]), green: Double(image.values[i * 3 + 1]), blue: Double(image.values[i * 3 + 2])).oklab
        let d = c - h
        if (d * d).sum().squareRoot() < 0.08 { count += 1 }
    }
    return count
}

@Suite("Decoder")
struct DecoderTests {
    let scene: [Region] = (0..<12).map { (i: Int) -> Region in
        let x: Double = 40 + Double(i % 4) * 38
        let y: Double = 50 + Double(i / 4) * 45
        let radius: Double = 26 + Double(i % 3) * 6
        let motifs: [Motif] = i % 3 == 0 ? [Motif(word: "glow", weight: 0.9)] : []
        return Region(center: SIMD2(x, y), radius: radius, features: features(i % 4), motifs: motifs, seed: UInt64(i))
    }

    @Test func sameBytesAcrossRunsAndThreadCounts() throws {
        let a = try paint(scene, threads: 2), b = try paint(scene, threads: 2), one = try paint(scene, threads: 1)
        #expect(a.values == b.values)
        #expect(a.values == one.values)
        // Tiles decode to exactly the whole image's pixels.
        var decoder = Decoder(settings: .standard, palette: palette)
        decoder.maxThreads = 2
        let painting = try decoder.paint(regions: scene, width: 192, height: 192, seed: 11)
        let tile = painting.render(PixelRect(x: 64, y: 32, width: 50, height: 70))
        for y in 0..<70 {
            for x in 0..<50 {
                for c in 0..<3 { #expect(tile.values[(y * 50 + x) * 3 + c] == a.values[((y + 32) * 192 + x + 64) * 3 + c]) }
            }
        }
    }

    @Test func highlightColourFollowsTheMotifs() throws {
        let plain = Region(center: SIMD2(96, 96), radius: 60, features: features(1), seed: 5)
        var weak = plain, strong = plain
        weak.motifs = [Motif(word: "glow", weight: 0.3)]
        strong.motifs = [Motif(word: "glow", weight: 1), Motif(word: "light", weight: 0.9)]
        let none = highlightPixels(try paint([plain])), little = highlightPixels(try paint([weak])), much = highlightPixels(try paint([strong]))
        #expect(none <= 5, "a region without highlighted words put \(none) highlight-coloured pixels")
        #expect(much > 100)
        #expect(little < much)
    }

    @Test func twoIdenticalOverlappingRegionsEqualOne() throws {
        let region = Region(center: SIMD2(90, 100), radius: 50, features: features(2), motifs: [Motif(word: "x", weight: 0.7)], seed: 9)
        let once = try paint([region]), twice = try paint([region, region])
        let worst = zip(once.values, twice.values).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-4)
    }

    @Test func degenerateRegionsBehave() throws {
        let single = try paint([Region(center: SIMD2(96, 96), radius: 40, features: [1], seed: 1)])
        #expect(single.values.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        // Outside the canvas and zero-size regions paint nothing: the image equals the empty one.
        let empty = try paint([])
        let ignored = try paint([Region(center: SIMD2(-500, 900), radius: 30, features: [1], seed: 2),
                                 Region(center: SIMD2(96, 96), radius: 0, features: [1], seed: 3)])
        #expect(ignored.values == empty.values)
        #expect(throws: DecodeError.self) { try paint([Region(center: SIMD2(.nan, 0), radius: 5, features: [1], seed: 1)]) }
        #expect(throws: DecodeError.self) { try paint([Region(center: SIMD2(1, 1), radius: 5, features: [], seed: 1)]) }
    }

    @Test func zeroStepsAreRejected() {
        var settings = DecodeSettings.standard
        settings.steps = 0
        var check = SettingsCheck()
        settings.check(&check)
        #expect(check.violations.map(\.key).contains("steps"))
        #expect(throws: DecodeError.self) { try paint([], settings: settings) }
    }

    @Test func stepsReportIntermediatePaintings() throws {
        var settings = DecodeSettings.standard
        settings.steps = 6
        var seen: [Int] = []
        _ = try Decoder(settings: settings, palette: palette).paint(regions: scene, width: 64, height: 64, seed: 1) { step, preview in
            seen.append(step)
            #expect(preview.width == 64)
        }
        #expect(seen == Array(1...6))
    }
}
