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
        let style = try Repository.styles.load("preview", overrides: ["canvas.width=320", "canvas.height=320", "output.memory_budget_mb=1"])
        var bytes: [Data] = []
        for threads in [1, 2] {
            let out = try temporaryDirectory()
            _ = try Renderer.render(RenderRequest(input: Repository.path("Examples/sea-light.jsonl"), style: style, outputDirectory: out,
                                                  formats: [.png], threads: threads))
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

/// Every preset's look, held by a small golden render (256 px, same settings otherwise).
/// Update with `ATLAS_RECORD=failed swift test` after looking at the artifacts, or `atlas verify --update`.
@Suite("Goldens")
struct GoldenRenderTests {
    @Test(arguments: Repository.styles.presets().map(\.name))
    func presetMatchesItsGolden(_ preset: String) throws {
        let out = try temporaryDirectory()
        let style = try Repository.styles.load(preset, overrides: smallCanvas)
        _ = try Renderer.render(RenderRequest(input: Repository.path("Examples/sea-light.jsonl"), style: style, outputDirectory: out))
        let image = try PNGFile.read(out + "/sea-light.png").image
        let golden = GoldenImage(path: "\(Repository.goldens)/\(preset).png", tolerance: .standard, artifacts: Repository.artifacts)
        let outcome = try golden.check(image)
        if case let .failed(message) = outcome { Issue.record(Comment(rawValue: message)) }
    }
}
