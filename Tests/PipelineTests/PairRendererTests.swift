import AtlasCore
import Composite
import Encode
import Foundation
import Graphics
import Layout
import Contexts
@testable import Pipeline
import Testing

/// Two small latents: A scores 0.9…0.45, B 0.5…0.12; both hold a context scored 0.5 and the
/// texts "a lantern at the harbour" (ids differ) and — by id only — "shared-id" with different texts.
func writePairFixture(_ dir: String) throws -> (a: String, b: String) {
    func file(_ name: String, _ rows: [(id: String, text: String, score: Double)]) throws -> String {
        var s = "{\"latent\": {\"name\": \"\(name)\", \"title\": \"\(name.uppercased())\", \"model\": \"m\", \"layer\": \"1\", \"index\": \"\(name.count)\"}}\n"
        for r in rows { s += "{\"id\": \"\(r.id)\", \"text\": \"\(r.text)\", \"score\": \(r.score)}\n" }
        let path = dir + "/" + name + ".jsonl"
        try Data(s.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
    let words = ["brass gear", "tidal pool", "copper spring", "kelp forest", "pocket watch", "coral reef", "music box", "night market",
                 "glass jellyfish", "iron clock"]
    var a: [(String, String, Double)] = [("a-lantern", "a lantern at the harbour", 0.5), ("shared-id", "only in a", 0.45)]
    var b: [(String, String, Double)] = [("b-lantern", "a  lantern at the harbour ", 0.5), ("shared-id", "only in b", 0.3)]
    for (k, w) in words.enumerated() {
        a.append(("a\(k)", "\(w) in the rain, ink sketch \(k)", 0.9 - Double(k) * 0.05))
        b.append(("b\(k)", "\(w) at dusk, watercolour \(k)", 0.48 - Double(k) * 0.04))
    }
    return (try file("first", a), try file("second", b))
}

let pairStyle = ["canvas.width=160", "canvas.height=160", "output.formats=[png]", "output.bit_depth=8", "decode.latent_scale=0.25",
                 "decode.steps=4"]

@Suite("Pair composition")
struct PairRendererTests {
    @Test func bothAtlasesGoOnOneSheetWithOneScoreScale() throws {
        let dir = try temporaryDirectory()
        let (a, b) = try writePairFixture(dir)
        let style = try Repository.styles.load("preview", overrides: pairStyle)
        var bytes: [Data] = []
        for threads in [1, 2] {
            let out = dir + "/out\(threads)"
            let r = try PairRenderer.render(RenderRequest(input: a, style: style, outputDirectory: out, formats: [.png, .html], threads: threads), right: b)
            #expect(r.files.map { ($0 as NSString).lastPathComponent } == ["first+second.png", "first+second.left.html", "first+second.right.html",
                                                                           "first+second.left.json", "first+second.right.json"])
            let png = try PNGFile.read(out + "/first+second.png").image
            #expect(png.width == 320 && png.height == 160)
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: out + "/first+second.png")))
            let left = try Manifest.read(out + "/first+second.left.json")
            let right = try Manifest.read(out + "/first+second.right.json")
            #expect(left.latent.name == "first" && right.latent.name == "second")
            // Each side's regions lie in its own half of the sheet.
            #expect(left.contexts.allSatisfy { ($0.centerPx?[0] ?? 999) < 160 })
            #expect(right.contexts.allSatisfy { ($0.centerPx?[0] ?? 0) >= 160 })
            #expect(left.atlas!.center[0] + 160 == right.atlas!.center[0])
            // One scale: equal scores get equal regions on both sides; B's best is not A's best size.
            let a05 = try #require(left.contexts.first { $0.id == "a-lantern" }), b05 = try #require(right.contexts.first { $0.id == "b-lantern" })
            #expect(abs(a05.radius - b05.radius) < 1e-12)
            let aTop = left.contexts.map(\.radius).max()!, bTop = right.contexts.map(\.radius).max()!
            #expect(bTop < aTop * 0.8)
            // The pages link each other; the context with the same text is marked, the one with only the same id is not.
            let leftPage = try String(contentsOfFile: out + "/first+second.left.html", encoding: .utf8)
            #expect(leftPage.contains("id=\"partner\" href=\"first%2Bsecond.right.html\""))
            #expect(leftPage.contains("\"shared\":\"b-lantern\"") && !leftPage.contains("\"shared\":\"shared-id\""))
            #expect(leftPage.contains("\"src\":\"first%2Bsecond.png\""))
        }
        #expect(bytes[0] == bytes[1])
    }

    @Test func theSharedLegendAndHeatmapUseBothLatents() throws {
        let dir = try temporaryDirectory()
        let (a, b) = try writePairFixture(dir)
        // A wide half, so the legend has room beside the disc.
        let style = try Repository.styles.load("preview", overrides: pairStyle + ["canvas.width=240", "canvas.height=140"])
        let out = dir + "/out"
        _ = try PairRenderer.render(RenderRequest(input: a, style: style, outputDirectory: out, formats: [.png]), right: b)
        // The legend (top right, over the right half) shows the union's ends: 0.9 (A) and 0.06 (B) — so
        // the left half's top-right corner, where a single render puts its legend, is bare.
        let png = try PNGFile.read(out + "/first+second.png").image
        let paper = Int(png.pixels[0]) + Int(png.pixels[1]) + Int(png.pixels[2])
        func inked(_ x0: Int, _ y0: Int, _ w: Int, _ h: Int) -> Int {
            var n = 0
            for y in y0..<(y0 + h) {
                for x in x0..<(x0 + w) {
                    let i = (y * png.width + x) * 4
                    if paper - (Int(png.pixels[i]) + Int(png.pixels[i + 1]) + Int(png.pixels[i + 2])) > 60 { n += 1 }
                }
            }
            return n
        }
        // The legend's corner (top right of the sheet) is inked; the left half's top-right corner,
        // where a single render would put its legend, is bare.
        #expect(png.width == 480)
        #expect(inked(480 - 40, 2, 38, 40) > 0)
        #expect(inked(240 - 40, 2, 38, 40) == 0)
        let latents = [try single(a), try single(b)]
        let layouts = latents.map { l in
            Layout(positions: l.contexts.map { _ in .zero }, radii: l.contexts.map(\.score), clusters: l.contexts.map { _ in 0 }, clusterInfo: [], edges: [])
        }
        let legend = PairRenderer.sharedLegend(latents: latents, layouts: layouts, radius: 2)
        // The union's strongest (A's 0.9) and weakest (B's 0.12).
        #expect(legend.count == 3 && legend[0].score == 0.9 && abs(legend[2].score - 0.12) < 1e-9)
        #expect(legend[0].radius == 1.8)
    }

    @Test func sharedContextsAreTheSameTextWhateverTheirIDs() throws {
        let dir = try temporaryDirectory()
        let (a, b) = try writePairFixture(dir)
        let shared = PairRenderer.sharedContexts(try single(a), try single(b))
        #expect(shared == ["a-lantern": "b-lantern"])
    }

    @Test func stitchingTakesEachHalfFromItsOwnPage() {
        func solid(_ v: Float) -> (PixelRect) -> FloatImage {
            { rect in var f = FloatImage(width: rect.width, height: rect.height); f.values = f.values.indices.map { v + Float($0 / 3 % rect.width + rect.x) * 0.001 }; return f }
        }
        let out = PairRenderer.stitched(PixelRect(x: 8, y: 0, width: 6, height: 2), split: 10, shift: 7, left: solid(0), right: solid(1))
        // Columns 8, 9 from the left page at 8, 9; 10…13 from the right page at 3…6.
        let row = (0..<6).map { out.values[$0 * 3] }
        #expect(row.map { ($0 * 1000).rounded() } == [8, 9, 1003, 1004, 1005, 1006])
        #expect(Array(out.values[18..<21]) == Array(out.values[0..<3]))
    }

    @Test func thePairStemJoinsBothStems() throws {
        #expect(try OutputName.pairStem("Sea Light", "clock/work") == "sea-light+clock-work")
        let long = String(repeating: "x", count: 120)
        let s = try OutputName.pairStem(long, long + "y")
        #expect(s.utf8.count <= OutputName.maximumBytes && !s.contains("+"))
    }

    func single(_ path: String) throws -> Latent {
        try PairRenderer.single(in: path, settings: try Repository.styles.load("preview").settings.input)
    }
}

@Suite("Pair on the command line")
struct PairCommandLineTests {
    @Test func aPairNeedsTwoInputsAndTwoInputsNeedAPair() throws {
        let dir = try temporaryDirectory()
        let (a, b) = try writePairFixture(dir)
        let one = try atlas(["render", a, "--composition", "pair", "-o", dir])
        #expect(one.status == 64 && one.err.contains("--composition pair sets two latents side by side and needs exactly two inputs") && one.err.contains("got 1"))
        let two = try atlas(["render", a, b, "-o", dir])
        #expect(two.status == 64 && two.err.contains("atlas render takes one input, or two with --composition pair"))
        let typo = try atlas(["render", a, b, "--composition", "pairs", "-o", dir])
        #expect(typo.status == 64 && typo.err.contains("did you mean 'pair'?"))
        let latent = try atlas(["render", a, b, "--composition", "pair", "--latent", "first", "-o", dir])
        #expect(latent.status == 64 && latent.err.contains("--latent does not apply to --composition pair"))
        let styled = try atlas(["render", a, "--set", "composition=pair", "-o", dir])
        #expect(styled.status == 64 && styled.err.contains("needs exactly two inputs"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/first.png"))
    }

    @Test func aPairRendersFromTheCommandLine() throws {
        let dir = try temporaryDirectory()
        let (a, b) = try writePairFixture(dir)
        let r = try atlas(["render", a, b, "--composition", "pair", "-o", dir + "/out", "--format", "png"] + pairStyle.flatMap { ["--set", $0] })
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out == "wrote \(dir)/out/first+second.png, \(dir)/out/first+second.left.json, \(dir)/out/first+second.right.json (320×160)\n")
    }
}
