import AtlasCore
import Compare
import Contexts
import Encode
import Foundation
import Graphics
import Testing
@testable import Pipeline

@Suite("Render")
struct RendererTests {
    @Test func writesPNGAndAManifestOfEveryContext() throws {
        let out = try temporaryDirectory()
        let style = try Repository.styles.load("preview", overrides: smallCanvas)
        let results = try Renderer.render(RenderRequest(input: Repository.path("Examples/civic.jsonl"), style: style,
                                                        overrides: smallCanvas, outputDirectory: out))
        let r = try #require(results.first)
        #expect(r.files.map { ($0 as NSString).lastPathComponent } == ["civic.png", "civic.json"])
        let png = try PNGFile.read(out + "/civic.png")
        #expect(png.image.width == 256 && png.image.height == 256)
        #expect(png.dotsPerInch.map { abs($0 - 150) < 0.1 } == true)
        #expect(png.text["latentatlas:style"] == "preview")
        #expect(png.text["latentatlas:seed"] == String(style.seed))
        let manifest = try Manifest.read(out + "/civic.json")
        let latent = try #require(try LatentReader.read(Repository.path("Examples/civic.jsonl")).first)
        #expect(manifest.contexts.map(\.id) == latent.contexts.map(\.id))
        #expect(manifest.contexts.map(\.score) == latent.contexts.map(\.score))
        #expect(manifest.contexts.allSatisfy { $0.position.count == 2 && hypot($0.position[0], $0.position[1]) <= 1 + 1e-9 && $0.radius > 0 })
        #expect(manifest.contexts.contains { $0.markedText.contains("{{") })
        #expect(manifest.style.overrides == smallCanvas)
        // Nothing half-written is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["civic.json", "civic.png"])
    }

    @Test func sameInputStyleAndSeedGiveTheSameBytes() throws {
        let style = try Repository.styles.load("preview", overrides: smallCanvas)
        let a = try temporaryDirectory(), b = try temporaryDirectory()
        for out in [a, b] {
            _ = try Renderer.render(RenderRequest(input: Repository.path("Examples/clockwork.jsonl"), style: style, outputDirectory: out))
        }
        let pa = try Data(contentsOf: URL(fileURLWithPath: a + "/clockwork.png"))
        let pb = try Data(contentsOf: URL(fileURLWithPath: b + "/clockwork.png"))
        #expect(pa == pb)
        let other = try Repository.styles.load("preview", overrides: smallCanvas + ["seed=7"])
        _ = try Renderer.render(RenderRequest(input: Repository.path("Examples/clockwork.jsonl"), style: other, outputDirectory: b))
        #expect(try Data(contentsOf: URL(fileURLWithPath: b + "/clockwork.png")) != pa)
    }

    @Test func theSourceChunkNamesTheFileNotThePathTyped() throws {
        let style = try Repository.styles.load("preview", overrides: smallCanvas)
        var bytes: [Data] = []
        for input in [Repository.path("Examples/civic.jsonl"), Repository.path("Examples/../Examples/./civic.jsonl")] {
            let out = try temporaryDirectory()
            _ = try Renderer.render(RenderRequest(input: input, style: style, outputDirectory: out, formats: [.png]))
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: out + "/civic.png")))
            let png = try PNGFile.read(out + "/civic.png")
            #expect(png.text["Source"] == "civic.jsonl")
            #expect(png.text.values.allSatisfy { !$0.contains(Repository.root.path) })
        }
        #expect(bytes[0] == bytes[1])
    }

    @Test func oneThreadAndTwoThreadsWriteTheSameBytes() throws {
        let style = try Repository.styles.load("preview", overrides: ["canvas.width=320", "canvas.height=320", "decode.latent_scale=0.25"])
        // Just above what decoding needs: the bands get less than the page, so both thread counts
        // stream, in different bands.
        let input = Repository.path("Examples/sea-light.jsonl")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: input)[.size] as? NSNumber).uint64Value
        let budget = RenderMemory(style: style, threads: 2, inputBytes: size).decodePeak + (512 << 10)
        #expect(RenderMemory(style: style, threads: 2, inputBytes: size, budget: budget).bandPixels < 320 * 320)
        var bytes: [Data] = []
        for threads in [1, 2] {
            let out = try temporaryDirectory()
            var request = RenderRequest(input: input, style: style, outputDirectory: out, formats: [.png], threads: threads)
            request.memoryBudget = budget
            _ = try Renderer.render(request)
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: out + "/sea-light.png")))
        }
        #expect(bytes[0] == bytes[1])
    }

    @Test func badInputFailsWithoutWritingAnything() throws {
        let out = try temporaryDirectory()
        let bad = out + "/bad.jsonl"
        try Data(#"{"id": "a", "text": "x", "score": "high"}"#.utf8).write(to: URL(fileURLWithPath: bad))
        let style = try Repository.styles.load("preview", overrides: smallCanvas)
        #expect(throws: InputError.self) { try Renderer.render(RenderRequest(input: bad, style: style, outputDirectory: out + "/renders")) }
        #expect(!FileManager.default.fileExists(atPath: out + "/renders"))
    }

    @Test func aNamedLatentMustExist() throws {
        let style = try Repository.styles.load("preview", overrides: smallCanvas)
        let request = RenderRequest(input: Repository.path("Examples/civic.jsonl"), style: style, outputDirectory: try temporaryDirectory(), latent: "nope")
        #expect(throws: PipelineError.noSuchLatent(file: request.input, name: "nope", available: ["civic"])) { try Renderer.render(request) }
    }
}

@Suite("Output names and memory")
struct RenderSafetyTests {
    func write(_ name: String, header: String, in dir: String) throws -> String {
        let path = dir + "/" + name
        try Data((header + "\n" + #"{"id": "a", "text": "tide and foam", "score": 1}"# + "\n" + #"{"id": "b", "text": "salt", "score": 0.5}"# + "\n").utf8)
            .write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func unicodeNamesKeepTheirLettersAndBadNamesFailBeforeDrawing() throws {
        let dir = try temporaryDirectory(), out = dir + "/out"
        let style = try Repository.styles.load("preview", overrides: smallCanvas)
        for (file, name) in [("flag.jsonl", "旗"), ("emoji.jsonl", "🚩")] {
            _ = try Renderer.render(RenderRequest(input: try write(file, header: #"{"latent": {"name": "\#(name)"}}"#, in: dir), style: style, outputDirectory: out))
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(files.contains("旗.png") && files.filter { $0.hasPrefix("latent-") && $0.hasSuffix(".png") }.count == 1)
        #expect(try Manifest.read(out + "/旗.json").latent.name == "旗")
        let empty = try write("empty.jsonl", header: #"{"latent": {"name": " "}}"#, in: dir)
        #expect(throws: OutputNameError.inInput(empty, .blank(name: " "))) {
            try Renderer.render(RenderRequest(input: empty, style: style, outputDirectory: dir + "/none"))
        }
        let nul = try write("nul.jsonl", header: #"{"latent": {"name": "a\u0000b"}}"#, in: dir)
        #expect(throws: OutputNameError.inInput(nul, .containsNUL(name: "a\0b"))) {
            try Renderer.render(RenderRequest(input: nul, style: style, outputDirectory: dir + "/none"))
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/none"))
    }

    @Test func aRenderThatCannotFitIsRefusedBeforeReading() throws {
        let style = try Repository.styles.load("preview", overrides: ["canvas.width=200000", "canvas.height=200000"])
        var request = RenderRequest(input: "/nonexistent.jsonl", style: style, outputDirectory: try temporaryDirectory())
        let memory = RenderMemory(style: style, threads: 2)
        #expect(!memory.fits && memory.needed > 1 << 40)
        #expect(throws: MemoryError.doesNotFit(needed: memory.needed, budget: 512 << 20, raise: "--memory or output.memory_budget_mb")) {
            try Renderer.render(request)
        }
        request.memoryBudget = 1 << 10
        request.style = try Repository.styles.load("preview", overrides: smallCanvas)
        #expect(throws: MemoryError.self) { try Renderer.render(request) }
        #expect(MemoryError.doesNotFit(needed: 3 << 30, budget: 512 << 20, raise: "--memory or output.memory_budget_mb").description
            == "this render needs ~3.0 GB; budget 512 MB; raise --memory or output.memory_budget_mb, or make the canvas smaller.")
    }

    @Test func bandsAreSizedFromTheBudget() throws {
        // Without a painting the bands are all there is: a small budget makes them smaller, a large
        // one no larger than the fastest (a million pixels a thread).
        let style = try Repository.styles.load("gallery", overrides: ["layers=[heatmap, edges, circle, typography]"])
        let small = RenderMemory(style: style, threads: 2, budget: 96 << 20), large = RenderMemory(style: style, threads: 2, budget: 2 << 30)
        #expect(small.fits && large.fits)
        #expect(small.bandPixels < large.bandPixels && large.bandPixels == 2 * AtlasWriter.fastestBandPixels)
        #expect(small.peak <= small.budget && large.peak < 256 << 20)
        // Decoding alone (a 2048² latent canvas for 8192²) does not fit 256 MB however small the bands.
        let exhibition = try Repository.styles.load("exhibition")
        #expect(!RenderMemory(style: exhibition, threads: 2, budget: 256 << 20).fits)
        #expect(RenderMemory(style: exhibition, threads: 2).fits)
    }

    @Test func theManifestRecordsEachOutputsSizeAndHash() throws {
        let out = try temporaryDirectory()
        let style = try Repository.styles.load("preview", overrides: smallCanvas)
        let r = try #require(try Renderer.render(RenderRequest(input: Repository.path("Examples/civic.jsonl"), style: style, outputDirectory: out)).first)
        let manifest = try Manifest.read(out + "/civic.json")
        let png = try #require(manifest.outputFiles?.first)
        let pngDigest = try FileDigest(path: out + "/civic.png"), manifestDigest = try FileDigest(path: out + "/civic.json")
        #expect(png.name == "civic.png" && png.digest == pngDigest)
        #expect(r.digests.map(\.name) == ["civic.png", "civic.json"] && r.digests.last?.digest == manifestDigest)
    }
}

/// Every preset held by a small golden that shows what the preset does differently: a look
/// (palette, type, composition, latent scale) at 256 px; the poster at its own 2048 px, as a
/// 256 px crop at 100 % from the centre (the print-resolution lettering); the gallery's PDF page,
/// rasterised by poppler; the exhibition's 16-bit PNG.
/// Update with `ATLAS_RECORD=failed swift test` after looking at the artifacts, or `atlas verify --update`.
@Suite("Goldens")
struct GoldenRenderTests {
    enum Check { case look, centreCrop, pdfPage, sixteenBit }
    static let checks: [String: Check] = ["poster": .centreCrop, "gallery": .pdfPage, "exhibition": .sixteenBit]

    @Test(arguments: Repository.styles.presets().map(\.name))
    func presetMatchesItsGolden(_ preset: String) throws {
        let out = try temporaryDirectory()
        let input = Repository.path("Examples/sea-light.jsonl")
        let check = Self.checks[preset] ?? .look
        let overrides: [String]
        switch check {
        case .look: overrides = smallCanvas
        case .centreCrop: overrides = ["output.formats=[png]"]
        case .pdfPage: overrides = smallCanvas.filter { !$0.hasPrefix("output.formats") } + ["output.formats=[pdf]"]
        case .sixteenBit: overrides = smallCanvas.filter { !$0.hasPrefix("output.bit_depth") }
        }
        let style = try Repository.styles.load(preset, overrides: overrides)
        _ = try Renderer.render(RenderRequest(input: input, style: style, outputDirectory: out))
        let image: RGBAImage
        switch check {
        case .look:
            image = try PNGFile.read(out + "/sea-light.png").image
        case .centreCrop:
            let page = try PNGFile.read(out + "/sea-light.png").image
            #expect(page.width == 2048, "the poster golden holds the poster's own size")
            image = page.crop(x: (page.width - 256) / 2, y: (page.height - 256) / 2, width: 256, height: 256)
        case .pdfPage:
            _ = try tool("pdftoppm", ["-png", "-singlefile", "-scale-to", "256", out + "/sea-light.pdf", out + "/page"])
            image = try PNGFile.read(out + "/page.png").image
        case .sixteenBit:
            let png = try PNGFile.read(out + "/sea-light.png")
            #expect(png.bitDepth == 16)
            image = png.image
        }
        let golden = GoldenImage(path: "\(Repository.goldens)/\(preset).png", tolerance: .standard, artifacts: Repository.artifacts)
        let outcome = try golden.check(image)
        if case let .failed(message) = outcome { Issue.record(Comment(rawValue: message)) }
    }
}

extension RGBAImage {
    /// The part of the image at (`x`, `y`) of the given size (which must lie inside it).
    func crop(x: Int, y: Int, width w: Int, height h: Int) -> RGBAImage {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(w * h * 4)
        for row in y..<(y + h) { pixels += self.pixels[((row * width + x) * 4)..<((row * width + x + w) * 4)] }
        return RGBAImage(width: w, height: h, pixels: pixels)
    }
}
