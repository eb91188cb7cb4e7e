import AtlasCore
import Contexts
import Foundation
import Graphics
import Testing
@testable import Select

@Suite("Selection output")
struct SelectionTests {
    let m = Fixture.matrix(rows: 120, columns: 16, seed: 6)
    let palette = Palette(background: RGBColor(hex: "#f4efe6")!, ink: RGBColor(hex: "#1d1b19")!, highlight: RGBColor(hex: "#e4572e")!,
                          colors: [RGBColor(hex: "#264653")!, RGBColor(hex: "#2a9d8f")!])

    func selection(_ dir: String, texts: String, direction: String, top: Int = 10, histogram: String? = "") -> Selection {
        Selection(embeddings: dir + "/E.npy", texts: texts, targets: [Selection.Target(direction: direction, title: "T", histogram: histogram)],
                  settings: SelectSettings(top: top), palette: palette, family: "Inter", outputFolder: dir, threads: 2)
    }

    @Test func writesContextsTheRendererReadsWithTheSelectionRecord() throws {
        let dir = try Fixture.folder()
        _ = try Fixture.write(Fixture.npy(m), dir + "/E.npy")
        let texts = try Fixture.texts(120, in: dir)
        let w = try Fixture.write(Fixture.safetensors([("W_dec", m, "F32")]), dir + "/sae_weights.safetensors")
        _ = try Fixture.write(Array(#"{"model_name": "gemma-2-2b", "hook_name": "blocks.12.hook_resid_post"}"#.utf8), dir + "/cfg.json")
        var timings = Selection.Timings()
        let outcomes = try selection(dir, texts: texts, direction: w + ":W_dec:33").run(timings: &timings)
        #expect(outcomes[0].name == "sae_weights-W_dec-33")
        #expect(outcomes[0].ignoredFields == ["source"])
        let latent = try #require(try LatentReader.read(outcomes[0].output).first)
        #expect(latent.model == "gemma-2-2b" && latent.layer == "12" && latent.index == "33" && latent.title == "T")
        #expect(latent.contexts.count == 10)
        // Row 33 is the direction itself: it comes first with cosine 1.
        #expect(latent.contexts[0].id == "t33" && abs(latent.contexts[0].score - 1) < 1e-6)
        #expect(latent.contexts[0].cluster == 0 && latent.contexts[0].embedding!.map(Double.init) == m[33])
        #expect(latent.contexts.map(\.score) == latent.contexts.map(\.score).sorted(by: >))
        let record = try #require(latent.selection)
        #expect(record.rows == 120 && record.dimension == 16 && record.top == 10 && record.dtype == "float32")
        #expect(record.direction == w + ":W_dec:33" && abs(record.threshold - latent.contexts[9].score) < 1e-6)
        #expect(latent.warnings.isEmpty)
    }

    @Test func plainTextLinesAndTheirIDs() throws {
        let dir = try Fixture.folder()
        _ = try Fixture.write(Fixture.npy(m), dir + "/E.npy")
        let texts = try Fixture.write(Array((0..<120).map { "line \($0)\r\n" }.joined().utf8), dir + "/t.txt")
        var timings = Selection.Timings()
        let o = try selection(dir, texts: texts, direction: dir + "/E.npy:7", top: 3).run(timings: &timings)
        let latent = try #require(try LatentReader.read(o[0].output).first)
        #expect(latent.contexts[0].id == "7" && latent.contexts[0].text == "line 7")
    }

    @Test func rowCountMismatchNamesBoth() throws {
        let dir = try Fixture.folder()
        _ = try Fixture.write(Fixture.npy(m), dir + "/E.npy")
        let texts = try Fixture.texts(119, in: dir)
        var timings = Selection.Timings()
        let e = selectError { _ = try selection(dir, texts: texts, direction: dir + "/E.npy:1").run(timings: &timings) }
        #expect(e == .rowCountMismatch(texts: texts, lines: 119, embeddings: dir + "/E.npy", rows: 120))
        #expect("\(e!)".contains("119 rows") && "\(e!)".contains("has 120"))
    }

    @Test func badTextLinesNameTheLine() throws {
        let dir = try Fixture.folder()
        _ = try Fixture.write(Fixture.npy(m), dir + "/E.npy")
        var lines = (0..<120).map { "{\"text\": \"t\($0)\"}" }
        lines[33] = "{\"txt\": \"oops\"}"
        let texts = try Fixture.write(Array((lines.joined(separator: "\n") + "\n").utf8), dir + "/t.jsonl")
        var timings = Selection.Timings()
        let e = selectError { _ = try selection(dir, texts: texts, direction: dir + "/E.npy:33").run(timings: &timings) }
        #expect(e == .badText(file: texts, line: 34, reason: "there is no 'text' field"))
        lines[33] = "{\"text\": \"a\", \"id\": \"x\"}"
        lines[34] = "{\"text\": \"b\", \"id\": \"x\"}"
        let dup = try Fixture.write(Array((lines.joined(separator: "\n") + "\n").utf8), dir + "/d.jsonl")
        let d2 = selectError { _ = try selection(dir, texts: dup, direction: "[" + m[33].map { "\($0)" }.joined(separator: ",") + "]", top: 120).run(timings: &timings) }
        guard case .duplicateID(_, "x", _, _)? = d2 else { Issue.record("expected a duplicate id, got \(String(describing: d2))"); return }
    }

    @Test func histogramBinsAndChart() throws {
        let dir = try Fixture.folder()
        let big = Fixture.matrix(rows: 5000, columns: 16, seed: 2)
        _ = try Fixture.write(Fixture.npy(big), dir + "/E.npy")
        let scan = try Scanner.scan(try MatrixFile.open(dir + "/E.npy"), directions: [try Direction.read(dir + "/E.npy:0")], top: 50)
        let r = scan.results[0]
        let h = Histogram(scores: r.scores, top: r.top, statistics: r.statistics, maxBins: 160)
        #expect((10...160).contains(h.counts.count))
        #expect(h.counts.reduce(0, +) == 5000 && h.selected.reduce(0, +) == 50)
        let capped = Histogram(scores: r.scores, top: r.top, statistics: r.statistics, maxBins: 12)
        #expect(capped.counts.count == 12)
        _ = try Fixture.texts(5000, in: dir)
        var timings = Selection.Timings()
        let o = try selection(dir, texts: dir + "/texts.jsonl", direction: dir + "/E.npy:0", top: 50, histogram: nil).run(timings: &timings)
        let png = try PNGFile.read(try #require(o[0].histogram))
        #expect(png.image.width == 1600 && png.image.height == 900)
        // The highlight colour is drawn (the tail), and so is the bar colour.
        let pixels = png.image.pixels
        var colours = Set<Int>()
        for i in stride(from: 0, to: pixels.count, by: 4) {
            let rgb: Int = Int(pixels[i]) << 16 | Int(pixels[i + 1]) << 8 | Int(pixels[i + 2])
            colours.insert(rgb)
        }
        #expect(colours.contains(0xe4572e) && colours.contains(0x264653))
    }
}
