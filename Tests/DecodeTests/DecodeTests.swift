import AtlasCore
import Foundation
import Testing
@testable import Decode

private let palette = Palette(
    background: RGBColor(hex: "#efe9dd")!, ink: RGBColor(hex: "#1d1b22")!, highlight: RGBColor(hex: "#d7261e")!,
    colors: ["#2f4858", "#33658a", "#86bbd8", "#758e4f", "#c9b79c"].map { RGBColor(hex: $0)! })

private func features(_ seed: UInt64, dimensions: Int = 16) -> [Float] {
    let random = CounterRandom(seed: seed)
    return (0..<dimensions).map { Float(random.gaussian(UInt64($0))) }
}

private func scene() -> [Region] {
    (0..<12).map { i in
        let angle = Double(i) * 0.52
        return Region(center: SIMD2(128 + 70 * cos(angle), 128 + 70 * sin(angle)), radius: 28 + Double(i % 4) * 6,
                      features: features(UInt64(i % 3)), motifs: i % 2 == 0 ? [Motif(word: "flag", weight: 0.8)] : [],
                      seed: UInt64(i))
    }
}

private func settings(steps: Int = 12) -> DecodeSettings {
    var s = DecodeSettings.standard
    s.steps = steps
    return s
}

/// Pixels within a small OKLab distance of the highlight colour.
private func highlightPixels(_ image: FloatImage) -> Int {
    let target = palette.highlight.oklab
    var count = 0
    for i in 0..<(image.width * image.height) {
        let c = RGBColor(red: Double(image.values[i * 3]), green: Double(image.values[i * 3 + 1]),
                         blue: Double(image.values[i * 3 + 2]))
        let d = c.oklab - target
        if (d * d).sum().squareRoot() < 0.12 { count += 1 }
    }
    return count
}

@Suite struct DecodeTests {
    @Test func sameBytesAcrossRunsAndThreadCounts() throws {
        var one = Decoder(settings: settings(), palette: palette)
        one.maxThreads = 1
        var two = one
        two.maxThreads = 2
        let a = try one.paint(regions: scene(), width: 256, height: 256, seed: 5).image()
        let b = try two.paint(regions: scene(), width: 256, height: 256, seed: 5).image()
        let c = try two.paint(regions: scene(), width: 256, height: 256, seed: 5).image()
        #expect(a == b)
        #expect(b == c)
    }

    @Test func tilesMatchTheWholeImage() throws {
        let painting = try Decoder(settings: settings(), palette: palette).paint(regions: scene(), width: 200, height: 160, seed: 5)
        let whole = painting.image()
        let tile = painting.render(PixelRect(x: 37, y: 51, width: 90, height: 70))
        for y in 0..<70 {
            for x in 0..<(90 * 3) {
                #expect(tile.values[y * 270 + x] == whole.values[((51 + y) * 200 + 37) * 3 + x])
            }
        }
    }

    @Test func seedChangesTheNoise() throws {
        let decoder = Decoder(settings: settings(), palette: palette)
        let a = try decoder.paint(regions: scene(), width: 128, height: 128, seed: 1).image()
        let b = try decoder.paint(regions: scene(), width: 128, height: 128, seed: 2).image()
        #expect(a != b)
    }

    @Test func highlightFollowsMotifsAndActivation() throws {
        let decoder = Decoder(settings: settings(), palette: palette)
        func mass(_ weight: Double) throws -> Int {
            let motifs = weight > 0 ? [Motif(word: "flag", weight: weight), Motif(word: "fist", weight: weight)] : []
            let region = Region(center: SIMD2(96, 96), radius: 80, features: features(9), motifs: motifs, seed: 3)
            return highlightPixels(try decoder.paint(regions: [region], width: 192, height: 192, seed: 4).image())
        }
        let none = try mass(0), low = try mass(0.3), high = try mass(1)
        #expect(none < 5)
        #expect(low > 50)
        #expect(high > low)
    }

    @Test func highlightChannelIsZeroWithoutMotifs() throws {
        let regions = scene().map { Region(center: $0.center, radius: $0.radius, features: $0.features, seed: $0.seed) }
        let painting = try Decoder(settings: settings(), palette: palette).paint(regions: regions, width: 128, height: 128, seed: 1)
        #expect(painting.latent.allSatisfy { $0.w == -1 })
    }

    @Test func twoIdenticalRegionsFuseToOne() throws {
        let region = Region(center: SIMD2(64, 70), radius: 40, features: features(2),
                            motifs: [Motif(word: "star", weight: 0.7)], seed: 11)
        let decoder = Decoder(settings: settings(), palette: palette)
        let single = try decoder.paint(regions: [region], width: 128, height: 128, seed: 3)
        let double = try decoder.paint(regions: [region, region], width: 128, height: 128, seed: 3)
        #expect(single.latent == double.latent)
    }

    @Test func masksFadeToZeroInsideTheirWindow() {
        var s = DecodeSettings.standard
        s.edgeWobble = 0.5
        s.feather = 1
        for seed in UInt64(0)..<20 {
            let radius = 30.0, extent = Int((radius * RegionMask.reach(s) + 1).rounded(.up))
            let rect = PixelRect(x: 100 - extent, y: 100 - extent, width: 2 * extent, height: 2 * extent)
            let window = RegionWindow(region: Region(center: SIMD2(100, 100), radius: radius, features: [1], seed: seed),
                                      index: 0, center: SIMD2(100, 100), radius: radius, rect: rect,
                                      canvasWidth: 200, canvasHeight: 200)
            let mask = RegionMask(window: window, settings: s)
            let w = rect.width, h = rect.height
            for i in 0..<w {
                #expect(mask.coverage[i] == 0 && mask.coverage[(h - 1) * w + i] == 0)
                #expect(mask.coverage[i * w] == 0 && mask.coverage[i * w + w - 1] == 0)
            }
        }
    }

    @Test func similarEmbeddingsGetRelatedLooks() {
        let base = features(21, dimensions: 64)
        let near = base.enumerated().map { $1 + 0.05 * Float(CounterRandom(seed: 8).gaussian(UInt64($0))) }
        let far = features(22, dimensions: 64)
        let a = RegionLook(features: base, palette: palette), b = RegionLook(features: near, palette: palette)
        let c = RegionLook(features: far, palette: palette)
        func distance(_ x: RegionLook, _ y: RegionLook) -> Float {
            let d = x.middle - y.middle
            return (d * d).sum() + abs(x.frequency - y.frequency) + abs(x.angle - y.angle)
        }
        #expect(distance(a, b) < distance(a, c))
    }

    @Test func degenerateRegionsPaintNothing() throws {
        let decoder = Decoder(settings: settings(steps: 4), palette: palette)
        let empty = try decoder.paint(regions: [], width: 64, height: 48, seed: 1)
        let outside = try decoder.paint(regions: [
            Region(center: SIMD2(-500, 30), radius: 20, features: [1], seed: 1),
            Region(center: SIMD2(1e12, 1e12), radius: 5, features: [1], seed: 2),
            Region(center: SIMD2(32, 24), radius: 0, features: [1], seed: 3),
        ], width: 64, height: 48, seed: 1)
        #expect(empty.latent == outside.latent)
        let background = LatentColor.encode(palette.background)
        #expect(empty.latent.allSatisfy { abs(($0 - background).x) < 1e-5 })
        let one = try decoder.paint(regions: [Region(center: SIMD2(32, 24), radius: 15, features: [0.3, -1], seed: 1)],
                                    width: 64, height: 48, seed: 1)
        #expect(one.latent != empty.latent)
        #expect(one.image().width == 64)
    }

    @Test func invalidInputIsRejected() {
        var zeroSteps = DecodeSettings.standard
        zeroSteps.steps = 0
        var check = SettingsCheck()
        zeroSteps.check(&check)
        #expect(check.violations.map(\.key).contains("steps"))
        #expect(throws: DecodeError.self) {
            try Decoder(settings: zeroSteps, palette: palette).paint(regions: [], width: 8, height: 8, seed: 0)
        }
        let decoder = Decoder(settings: settings(steps: 2), palette: palette)
        #expect(throws: DecodeError.invalidSize(width: 0, height: 8)) {
            try decoder.paint(regions: [], width: 0, height: 8, seed: 0)
        }
        #expect(throws: DecodeError.invalidGeometry(region: 0)) {
            try decoder.paint(regions: [Region(center: SIMD2(.nan, 1), radius: 3, features: [1], seed: 0)], width: 8, height: 8, seed: 0)
        }
        #expect(throws: DecodeError.emptyFeatures(region: 0)) {
            try decoder.paint(regions: [Region(center: SIMD2(1, 1), radius: 3, features: [], seed: 0)], width: 8, height: 8, seed: 0)
        }
        #expect(!DecodeError.emptyFeatures(region: 2).description.isEmpty)
    }

    @Test func onStepReportsEveryStep() throws {
        var steps: [Int] = []
        _ = try Decoder(settings: settings(steps: 5), palette: palette).paint(regions: scene(), width: 64, height: 64, seed: 1) { step, preview in
            steps.append(step)
            #expect(preview.width == 64)
        }
        #expect(steps == [1, 2, 3, 4, 5])
    }

    @Test func schedulesRunFromNoiseToClean() {
        for schedule in [NoiseSchedule.cosine, .scaledLinear] {
            #expect(schedule.alphaBar(0) > 0.999)
            #expect(schedule.alphaBar(1) < 0.01)
            #expect(schedule.alphaBar(0.3) > schedule.alphaBar(0.6))
        }
    }
}
