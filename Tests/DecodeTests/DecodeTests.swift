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

private func words(_ text: String, highlight: [String: Double] = [:]) -> [Lettering.Word] {
    text.split(separator: " ").map { Lettering.Word(text: String($0), weight: highlight[String($0)] ?? 0) }
}

/// Twelve regions around a centre one, the disc of radius 110 centred on (128, 128).
private func scene() -> [Region] {
    [Region(center: SIMD2(128, 128), radius: 40, features: features(7), words: words("a red flag over a stadium", highlight: ["flag": 1]),
            cluster: 0, seed: 99)]
        + (0..<12).map { i in
            let angle = Double(i) * 0.52
            return Region(center: SIMD2(128 + 70 * cos(angle), 128 + 70 * sin(angle)), radius: 18 + Double(i % 4) * 4,
                          features: features(UInt64(i % 3)),
                          words: words("banner number \(i) at dusk", highlight: i % 2 == 0 ? ["banner": 0.8] : [:]),
                          cluster: i % 3, seed: UInt64(i))
        }
}

private let disc = (center: SIMD2<Double>(128, 128), radius: 110.0)

private func settings(steps: Int = 12) -> DecodeSettings {
    var s = DecodeSettings.standard
    s.steps = steps
    return s
}

private func paint(_ regions: [Region], size: Int = 256, seed: UInt64 = 5, threads: Int = 2, steps: Int = 12,
                   settings custom: DecodeSettings? = nil) throws -> Painting {
    var decoder = LatentDecoder(settings: custom ?? settings(steps: steps), palette: palette)
    decoder.maxThreads = threads
    let scale = Double(size) / 256
    return try decoder.paint(regions: regions.map { var r = $0; r.center *= scale; r.radius *= scale; return r },
                             width: size, height: size, discCenter: disc.center * scale, discRadius: disc.radius * scale, seed: seed)
}

private func oklab(_ image: FloatImage, _ i: Int) -> SIMD3<Double> {
    RGBColor(red: Double(image.values[i * 3]), green: Double(image.values[i * 3 + 1]), blue: Double(image.values[i * 3 + 2])).oklab
}

private func distance(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { ((a - b) * (a - b)).sum().squareRoot() }

@Suite struct DecodeTests {
    @Test func sameBytesAcrossRunsAndThreadCounts() throws {
        let a = try paint(scene(), threads: 1).image()
        let b = try paint(scene(), threads: 2).image()
        let c = try paint(scene(), threads: 2).image()
        #expect(a == b)
        #expect(b == c)
    }

    @Test func tilesMatchTheWholeImage() throws {
        let painting = try paint(scene(), size: 200)
        let whole = painting.image()
        // Tiles cut through letters, seams and the rim: each is rasterised on its own.
        for rect in [PixelRect(x: 37, y: 51, width: 90, height: 70), PixelRect(x: 80, y: 90, width: 41, height: 23)] {
            let tile = painting.render(rect)
            for y in 0..<rect.height {
                for x in 0..<(rect.width * 3) {
                    #expect(tile.values[y * rect.width * 3 + x] == whole.values[((rect.y + y) * 200 + rect.x) * 3 + x])
                }
            }
        }
    }

    @Test func seedChangesTheNoise() throws {
        #expect(try paint(scene(), size: 128, seed: 1).image() != paint(scene(), size: 128, seed: 2).image())
    }

    @Test func cellsTileTheDiscWithoutGapsAndNothingOutside() throws {
        let image = try paint(scene()).image()
        let background = palette.background.oklab
        var insideBare = 0, outsidePainted = 0, inside = 0
        for y in 0..<256 {
            for x in 0..<256 {
                let d = ((SIMD2(Double(x), Double(y)) + 0.5 - disc.center) * (SIMD2(Double(x), Double(y)) + 0.5 - disc.center)).sum().squareRoot()
                let bare = distance(oklab(image, y * 256 + x), background) < 0.02
                if d < disc.radius - 1.5 { inside += 1; if bare { insideBare += 1 } }
                if d > disc.radius + 1 { if !bare { outsidePainted += 1 } }
            }
        }
        #expect(inside > 30000)
        #expect(insideBare == 0)
        #expect(outsidePainted == 0)
    }

    @Test func powerCellsCoverTheDiscOnceAndShareSeams() {
        let regions = scene()
        let diagram = PowerDiagram.balanced(centers: regions.map(\.center), radii: regions.map(\.radius),
                                            discCenter: disc.center, discRadius: disc.radius, seam: 2)
        let areas = regions.indices.map { PowerDiagram.area(diagram.polygon($0, sides: 512)) }
        #expect(abs(areas.reduce(0, +) - Double.pi * disc.radius * disc.radius) < 0.01 * Double.pi * disc.radius * disc.radius)
        // Balanced: each cell's share of the disc follows its region's area.
        let total = regions.map { $0.radius * $0.radius }.reduce(0, +)
        for (r, area) in zip(regions, areas) {
            let target = Double.pi * disc.radius * disc.radius * r.radius * r.radius / total
            #expect(abs(area - target) < 0.05 * target)
        }
        // The centre, the biggest region, has the biggest cell.
        #expect(areas.indices.max { areas[$0] < areas[$1] } == 0)
        let map = diagram.cells(in: PixelRect(x: 0, y: 0, width: 256, height: 256))
        for i in map.owner.indices {
            let p = SIMD2(Double(i % 256), Double(i / 256)) + 0.5
            let inside = ((p - disc.center) * (p - disc.center)).sum() < (disc.radius - 1) * (disc.radius - 1)
            if inside {
                #expect(map.owner[i] >= 0)
                #expect((0.5...1).contains(map.weight[i]))
                #expect(map.runnerUp[i] != map.owner[i])
            }
        }
        #expect(map.runnerUp.contains { $0 >= 0 })
    }

    @Test func wordsArePaintedInsideTheirCells() throws {
        let regions = scene()
        let painting = try paint(regions, size: 512)
        let placed = painting.words
        // Every region has all its words (the text fits), each box inside the disc.
        for r in regions.indices {
            let texts = placed.filter { $0.region == r }.map(\.text)
            #expect(texts.prefix(regions[r].words.count) == ArraySlice(regions[r].words.map(\.text)))
        }
        let diagram = PowerDiagram.balanced(centers: regions.map { $0.center * 2 }, radii: regions.map { $0.radius * 2 },
                                            discCenter: disc.center * 2, discRadius: disc.radius * 2, seam: 0)
        let map = diagram.cells(in: PixelRect(x: 0, y: 0, width: 512, height: 512))
        for word in placed {
            let middle = SIMD2(word.box.x + word.box.z / 2, word.box.y + word.box.w / 2)
            let i = Int(middle.y) * 512 + Int(middle.x)
            #expect(Int(map.owner[i]) == word.region)
        }
        // The centre's type is the largest.
        let sizes = regions.indices.map { r in placed.filter { $0.region == r }.map(\.box.w).max() ?? 0 }
        #expect(sizes.indices.max { sizes[$0] < sizes[$1] } == 0)
    }

    @Test func highlightSitsOnTheHighlightedWordsAndFollowsActivation() throws {
        func render(_ weight: Double) throws -> (image: FloatImage, boxes: [SIMD4<Double>]) {
            let region = Region(center: SIMD2(128, 128), radius: 60, features: features(9),
                                words: words("a flag and a fist", highlight: weight > 0 ? ["flag": weight, "fist": weight] : [:]), seed: 3)
            let p = try paint([region])
            return (p.image(), p.words.filter { $0.weight > 0 }.map(\.box))
        }
        let target = palette.highlight.oklab
        func highlighted(_ r: (image: FloatImage, boxes: [SIMD4<Double>])) -> (inside: Int, outside: Int, amount: Double) {
            var inside = 0, outside = 0, amount = 0.0
            for i in 0..<(256 * 256) {
                let d = distance(oklab(r.image, i), target)
                amount += max(0, 0.3 - d)
                guard d < 0.12 else { continue }
                let x = Double(i % 256) + 0.5, y = Double(i / 256) + 0.5
                if r.boxes.contains(where: { x >= $0.x && x <= $0.x + $0.z && y >= $0.y && y <= $0.y + $0.w }) { inside += 1 } else { outside += 1 }
            }
            return (inside, outside, amount)
        }
        let none = highlighted(try render(0)), half = highlighted(try render(0.5)), full = highlighted(try render(1))
        #expect(none.inside + none.outside == 0)
        #expect(full.inside > 100)
        #expect(Double(full.inside) >= 0.9 * Double(full.inside + full.outside))
        #expect(none.amount < half.amount && half.amount < full.amount)
    }

    @Test func highlightChannelIsZeroWithoutHighlightedWords() throws {
        let regions = scene().map { r in
            Region(center: r.center, radius: r.radius, features: r.features, words: r.words.map { Lettering.Word(text: $0.text, weight: 0) },
                   cluster: r.cluster, seed: r.seed)
        }
        #expect(try paint(regions, size: 128).latent.allSatisfy { $0.w == -1 })
    }

    @Test func clustersShareAHueFamilyAwayFromTheHighlight() {
        let families = RegionLook.families(palette)
        let near = Palette(background: palette.background, ink: palette.ink, highlight: palette.highlight,
                           colors: palette.colors + [RGBColor(hex: "#e03a2a")!])
        #expect(RegionLook.families(near).count == families.count)
        let s = DecodeSettings.standard
        let a = RegionLook(features: features(1), cluster: 2, families: families, settings: s)
        let b = RegionLook(features: features(2), cluster: 2, families: families, settings: s)
        let c = RegionLook(features: features(1), cluster: 3, families: families, settings: s)
        func hue(_ l: RegionLook) -> Float { atan2(l.paperLab.z, l.paperLab.y) }
        #expect(abs(hue(a) - hue(b)) < abs(hue(a) - hue(c)))
        // Ink and paper keep their contrast for legibility.
        #expect(abs(a.paperLab.x - a.inkLab.x) >= Float(s.inkContrast) - 0.05)
    }

    @Test func degenerateRegionsPaintNothing() throws {
        let empty = try paint([], size: 64, steps: 4)
        let outside = try paint([
            Region(center: SIMD2(-500, 30), radius: 20, features: [1], seed: 1),
            Region(center: SIMD2(1e12, 1e12), radius: 5, features: [1], seed: 2),
            Region(center: SIMD2(128, 128), radius: 0, features: [1], seed: 3),
        ], size: 64, steps: 4)
        #expect(empty.latent == outside.latent)
        let background = LatentColor.encode(palette.background)
        #expect(empty.latent.allSatisfy { abs(($0 - background).x) < 1e-5 })
        let one = try paint([Region(center: SIMD2(128, 128), radius: 15, features: [0.3, -1], seed: 1)], size: 64, steps: 4)
        #expect(one.latent != empty.latent)
        #expect(one.image().width == 64)
    }

    @Test func invalidInputIsRejected() {
        var zeroSteps = DecodeSettings.standard
        zeroSteps.steps = 0
        var check = SettingsCheck()
        zeroSteps.check(&check)
        #expect(check.violations.map(\.key).contains("steps"))
        #expect(throws: DecodeError.self) { try paint([], size: 8, settings: zeroSteps) }
        let decoder = LatentDecoder(settings: settings(steps: 2), palette: palette)
        #expect(throws: DecodeError.invalidSize(width: 0, height: 8)) {
            try decoder.paint(regions: [], width: 0, height: 8, discCenter: SIMD2(4, 4), discRadius: 3, seed: 0)
        }
        #expect(throws: DecodeError.invalidGeometry(region: 0)) {
            try paint([Region(center: SIMD2(.nan, 1), radius: 3, features: [1], seed: 0)], size: 8)
        }
        #expect(throws: DecodeError.emptyFeatures(region: 0)) {
            try paint([Region(center: SIMD2(1, 1), radius: 3, features: [], seed: 0)], size: 8)
        }
        #expect(throws: DecodeError.invalidWordWeight(region: 0, word: "x")) {
            try paint([Region(center: SIMD2(1, 1), radius: 3, features: [1], words: [Lettering.Word(text: "x", weight: 2)], seed: 0)], size: 8)
        }
        #expect(!DecodeError.emptyFeatures(region: 2).description.isEmpty)
    }

    @Test func onStepReportsEveryStepAndTheWordsEmerge() throws {
        var steps: [Int] = []
        var previews: [[Double]] = []
        var decoder = LatentDecoder(settings: settings(steps: 8), palette: palette)
        decoder.maxThreads = 2
        // The centre region's words, where they sit.
        let crop = PixelRect(x: 90, y: 100, width: 76, height: 56)
        let final = try decoder.paint(regions: scene(), width: 256, height: 256, discCenter: disc.center, discRadius: disc.radius, seed: 1) { step, preview in
            steps.append(step)
            #expect(preview.width == 256)
            let image = preview.render(crop)
            previews.append((0..<(crop.width * crop.height)).map { oklab(image, $0).x })
        }
        #expect(steps == Array(1...8))
        // Each preview looks more like the finished letters than the one before: the words emerge.
        let image = final.render(crop)
        let target = (0..<(crop.width * crop.height)).map { oklab(image, $0).x }
        func correlation(_ a: [Double], _ b: [Double]) -> Double {
            let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
            var n = 0.0, da = 0.0, db = 0.0
            for i in a.indices { n += (a[i] - ma) * (b[i] - mb); da += (a[i] - ma) * (a[i] - ma); db += (b[i] - mb) * (b[i] - mb) }
            return n / (da * db).squareRoot()
        }
        let c = previews.map { correlation($0, target) }
        #expect(c.first! < 0.5)
        #expect(c[3] > c.first!)
        #expect(c.last! > 0.999)
    }

    @Test func schedulesRunFromNoiseToClean() {
        for schedule in [NoiseSchedule.cosine, .scaledLinear] {
            #expect(schedule.alphaBar(0) > 0.999)
            #expect(schedule.alphaBar(1) < 0.01)
            #expect(schedule.alphaBar(0.3) > schedule.alphaBar(0.6))
        }
    }
}
