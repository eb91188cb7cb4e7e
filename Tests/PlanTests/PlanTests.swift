import AtlasCore
import Foundation
import Graphics
import Testing
import Plan
import Pipeline
import Styles

/// Exports the plan of an example latent into a fresh folder; returns the plan folder.
private func exportPlan(_ example: String = "clockwork", overrides: [String] = smallCanvas) throws -> (folder: String, style: Style) {
    let style = try Repository.styles.load("preview", overrides: overrides)
    let out = try temporaryDirectory()
    var request = RenderRequest(input: try smallExample(example), style: style, outputDirectory: out + "/render")
    request.exportPlan = out + "/plans"
    let results = try Renderer.render(request)
    #expect(results.count == 1)
    return (out + "/plans/" + example, style)
}

@Suite("Region plan")
struct RegionPlanTests {
    @Test func exportThenImportGivesTheSamePlanAndBytes() throws {
        let (folder, style) = try exportPlan()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["labels.png", "plan.json", "runner-up.png"])
        let plan = try PlanFiles.read(folder + "/plan.json")
        #expect(plan.fingerprint == plan.computedFingerprint())
        #expect(plan.canvas == .init(width: 192, height: 192, dpi: style.settings.canvas.dpi))
        #expect(plan.regions.count == 40)
        #expect(plan.regions.map(\.rank) == Array(0..<40))
        #expect(plan.regions.map(\.label) == Array(1...40))
        #expect(zip(plan.regions, plan.regions.dropFirst()).allSatisfy { $0.score >= $1.score })
        #expect(plan.regions.contains { !$0.highlights.isEmpty && $0.markedText.contains("{{") })
        // Written again from the imported value: the same bytes.
        let again = try temporaryDirectory()
        try PlanFiles.write(plan, to: again)
        for name in ["plan.json", "labels.png", "runner-up.png"] {
            #expect(FileManager.default.contents(atPath: "\(folder)/\(name)") == FileManager.default.contents(atPath: "\(again)/\(name)"), "\(name)")
        }
        #expect(try PlanFiles.read(again) == plan)
    }

    @Test func exportIsDeterministicAtAnyThreadCount() throws {
        let style = try Repository.styles.load("preview", overrides: smallCanvas)
        var bytes: [[Data?]] = []
        let civic = try smallExample("civic")
        for threads in [1, 3] {
            let out = try temporaryDirectory()
            var request = RenderRequest(input: civic, style: style, outputDirectory: out, threads: threads)
            request.exportPlan = out
            _ = try Renderer.render(request)
            bytes.append(["plan.json", "labels.png", "runner-up.png"].map { FileManager.default.contents(atPath: "\(out)/civic/\($0)") })
        }
        #expect(bytes[0] == bytes[1])
        #expect(bytes[0].allSatisfy { $0 != nil })
    }

    @Test func masksTileTheDiscAndShareSeams() throws {
        let (folder, _) = try exportPlan(overrides: smallCanvas + ["decode.seam=0.03"])
        let plan = try PlanFiles.read(folder)
        let owner = try PlanMasks.read(folder + "/labels.png"), runner = try PlanMasks.read(folder + "/runner-up.png")
        #expect(owner.width == 192 && owner.height == 192)
        var inside = 0, seams = 0
        let c = plan.disc.centerPoint, r = plan.disc.radius
        for y in 0..<owner.height {
            for x in 0..<owner.width {
                let i = y * owner.width + x
                let p = SIMD2(Double(x) + 0.5, Double(y) + 0.5) - c
                if (p * p).sum() <= r * r {
                    inside += 1
                    #expect(owner.labels[i] >= 1 && Int(owner.labels[i]) <= plan.regions.count)
                    if runner.labels[i] != 0 {
                        seams += 1
                        #expect(runner.labels[i] != owner.labels[i])
                        #expect(Int(owner.weights[i]) + Int(runner.weights[i]) == 255)
                        #expect(owner.weights[i] >= 127)
                    } else {
                        #expect(owner.weights[i] == 255)
                    }
                } else {
                    #expect(owner.labels[i] == 0 && runner.labels[i] == 0)
                }
            }
        }
        #expect(inside > 20_000 && seams > 500)
        // The band function gives what the files hold.
        let band = PlanMasks.band(plan, rect: PixelRect(x: 0, y: 90, width: 192, height: 4))
        #expect(band.owner == Array(owner.labels[(90 * 192)..<(94 * 192)]))
    }

    @Test func readingNamesTheBadField() throws {
        let (folder, _) = try exportPlan()
        let path = folder + "/plan.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 7").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: PlanError.wrongSchema(path: path, found: RegionPlan.schemaName, version: 7)) { try PlanFiles.read(path) }
        try text.replacingOccurrences(of: "\"label\" : 2,", with: "\"label\" : 9,").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: PlanError.invalidField(path: path, field: "regions[1].label", problem: "is 9; expected 2 (its index + 1)")) { try PlanFiles.read(path) }
        try text.replacingOccurrences(of: "\"seam\" : [0-9.e-]+,", with: "\"seam\" : \"wide\",", options: .regularExpression)
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect((try? PlanFiles.read(path)) == nil)
        do { _ = try PlanFiles.read(path) } catch { #expect(String(describing: error) == "\(path): seam should be a Double.") }
    }
}

@Suite("Painting import")
struct PaintingImportTests {
    /// A flat-colour painting of `size` with an optional recorded fingerprint.
    private func painting(_ path: String, width: Int, height: Int, fingerprint: String?, color: (UInt8, UInt8, UInt8) = (200, 40, 90)) throws {
        let image = RGBAImage(width: width, height: height, fill: (color.0, color.1, color.2, 255))
        try PNGFile.write(image, to: path, options: PNGOptions(text: fingerprint.map { [(ExternalPainting.textKey, $0)] } ?? []))
    }

    @Test func rightSizeAndFingerprintLoadsWithoutWarnings() throws {
        let (folder, _) = try exportPlan()
        let plan = try PlanFiles.read(folder)
        try painting(folder + "/painting.png", width: 192, height: 192, fingerprint: plan.fingerprint)
        let p = try ExternalPainting.load(folder + "/painting.png", for: plan, planName: "plan.json")
        #expect(p.warnings.isEmpty)
        let tile = p.render(PixelRect(x: 10, y: 10, width: 4, height: 2))
        let flat: [Float] = [200 / 255, 40 / 255, 90 / 255]
        #expect(Array(tile.values[0..<3]) == flat)
    }

    @Test func otherSizeIsResampledWithAWarning() throws {
        let (folder, _) = try exportPlan()
        let plan = try PlanFiles.read(folder)
        try painting(folder + "/painting.png", width: 64, height: 64, fingerprint: plan.fingerprint)
        let p = try ExternalPainting.load(folder + "/painting.png", for: plan, planName: "plan.json")
        #expect(p.width == 192 && p.height == 192)
        #expect(p.warnings == ["\(folder)/painting.png is 64×64 but the canvas is 192×192; resampled"])
        let flat: [Float] = [200 / 255, 40 / 255, 90 / 255]
        #expect(p.render(PixelRect(x: 191, y: 191, width: 1, height: 1)).values == flat)
        try painting(folder + "/wide.png", width: 128, height: 64, fingerprint: plan.fingerprint)
        #expect(try ExternalPainting.load(folder + "/wide.png", for: plan, planName: "p").warnings.first?.contains("stretched") == true)
    }

    @Test func wrongFingerprintIsAnErrorNamingBoth() throws {
        let (folder, _) = try exportPlan()
        let plan = try PlanFiles.read(folder)
        try painting(folder + "/painting.png", width: 192, height: 192, fingerprint: "0123456789abcdef")
        #expect(throws: PlanError.fingerprintMismatch(painting: folder + "/painting.png", paintingFingerprint: "0123456789abcdef",
                                                      plan: "plan.json", planFingerprint: plan.fingerprint)) {
            try ExternalPainting.load(folder + "/painting.png", for: plan, planName: "plan.json")
        }
        // A side file counts when the PNG has lost its text chunks; no record at all is a warning.
        try painting(folder + "/bare.png", width: 192, height: 192, fingerprint: nil)
        #expect(try ExternalPainting.load(folder + "/bare.png", for: plan, planName: "p").warnings.first?.contains("records no plan fingerprint") == true)
        try Data("ffffffffffffffff\n".utf8).write(to: URL(fileURLWithPath: folder + "/bare.plan-fingerprint"))
        #expect(throws: PlanError.self) { try ExternalPainting.load(folder + "/bare.png", for: plan, planName: "p") }
        try Data("\(plan.fingerprint)\n".utf8).write(to: URL(fileURLWithPath: folder + "/bare.plan-fingerprint"))
        #expect(try ExternalPainting.load(folder + "/bare.png", for: plan, planName: "p").warnings.isEmpty)
    }

    @Test func aPaintingForAnotherPlanFailsTheRender() throws {
        let (folder, style) = try exportPlan()
        let clockwork = try smallExample("clockwork")
        let other = try PlanFiles.read(try exportPlan("civic").folder)
        try painting(folder + "/painting.png", width: 192, height: 192, fingerprint: other.fingerprint)
        var request = RenderRequest(input: clockwork, style: style, outputDirectory: try temporaryDirectory())
        request.painting = .file(folder + "/painting.png")
        #expect(throws: PlanError.self) { try Renderer.render(request) }
    }

    @Test func thePaintingEntersTheRenderFingerprintAndPixels() throws {
        let (folder, style) = try exportPlan()
        let clockwork = try smallExample("clockwork")
        let plan = try PlanFiles.read(folder)
        var results: [(fingerprint: String, png: PNGContents)] = []
        for color in [(200, 40, 90), (20, 140, 90), (200, 40, 90)] as [(UInt8, UInt8, UInt8)] {
            try painting(folder + "/painting.png", width: 192, height: 192, fingerprint: plan.fingerprint, color: color)
            let out = try temporaryDirectory()
            var request = RenderRequest(input: clockwork, style: style, outputDirectory: out)
            request.painting = .file(folder + "/painting.png")
            let r = try #require(try Renderer.render(request).first)
            #expect(r.warnings.isEmpty)
            results.append((r.fingerprint, try PNGFile.read(out + "/clockwork.png")))
        }
        #expect(results[0].fingerprint != results[1].fingerprint)
        #expect(results[0].fingerprint == results[2].fingerprint)
        #expect(results[0].png.text["latentatlas:fingerprint"] == results[0].fingerprint)
        #expect(results[0].png.image != results[1].png.image)
        #expect(results[0].png.image == results[2].png.image)
        // Without a painting the render keeps its old fingerprint.
        let builtIn = try #require(try Renderer.render(RenderRequest(input: clockwork, style: style,
                                                                     outputDirectory: try temporaryDirectory())).first)
        let expected = Renderer.fingerprint(inputHash: Renderer.inputHash(try Data(contentsOf: URL(fileURLWithPath: clockwork))), style: style)
        #expect(builtIn.fingerprint == expected)
        #expect(!results.map(\.fingerprint).contains(builtIn.fingerprint))
    }

    @Test func aFolderHoldsOnePaintingPerLatent() throws {
        let (folder, style) = try exportPlan()
        let clockwork = try smallExample("clockwork")
        let plans = (folder as NSString).deletingLastPathComponent
        let plan = try PlanFiles.read(folder)
        let input = PaintingInput(path: plans)
        #expect(input == .folder(plans))
        #expect(throws: PlanError.missingPainting(folder: plans, latent: "clockwork",
                                                  expected: "\(plans)/clockwork.png or \(plans)/clockwork/painting.png")) {
            try input.path(for: "clockwork", among: ["clockwork"])
        }
        try PlanPainter.paint(plan, style: style, to: folder + "/painting.png")
        #expect(try input.path(for: "clockwork", among: ["clockwork"]) == folder + "/painting.png")
        #expect(throws: PlanError.self) { try PaintingInput.file(folder + "/painting.png").path(for: "a", among: ["a", "b"]) }
        // The built-in decoder's painting of the plan composites cleanly.
        var request = RenderRequest(input: clockwork, style: style, outputDirectory: try temporaryDirectory())
        request.painting = input
        let r = try #require(try Renderer.render(request).first)
        #expect(r.warnings.isEmpty)
        let png = try PNGFile.read(r.files[0])
        #expect(png.text["latentatlas:painting-hash"] == input.hash(latents: ["clockwork"]))
    }

    /// For contexts without embeddings (the decoder then conditions on the text, as `atlas paint` does),
    /// painting through the plan gives the built-in render, to the 8-bit rounding of the painting file.
    @Test func paintingThroughThePlanGivesTheBuiltInRender() throws {
        let (folder, style) = try exportPlan("sea-light")
        let seaLight = try smallExample("sea-light")
        try PlanPainter.paint(try PlanFiles.read(folder), style: style, to: folder + "/painting.png", threads: 2)
        var request = RenderRequest(input: seaLight, style: style, outputDirectory: try temporaryDirectory())
        request.painting = .file(folder + "/painting.png")
        let viaPlan = try PNGFile.read(try #require(try Renderer.render(request).first).files[0]).image
        let builtIn = try PNGFile.read(try #require(try Renderer.render(RenderRequest(input: seaLight, style: style,
                                                                                       outputDirectory: try temporaryDirectory())).first).files[0]).image
        #expect(viaPlan.width == builtIn.width && viaPlan.height == builtIn.height)
        let largest = zip(viaPlan.pixels, builtIn.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
        #expect(largest <= 1)
    }
}
