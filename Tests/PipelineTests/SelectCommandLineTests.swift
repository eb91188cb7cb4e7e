import Encode
import Foundation
import Testing

/// `atlas select` as a user runs it: the bundled example, through to a render whose manifest says
/// where its contexts came from; usage errors exit 64, bad input exits 1 with one sentence.
@Suite("atlas select command line")
struct SelectCommandLineTests {
    @Test func selectThenRenderRecordsTheSelection() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-select-cli-\(UUID().uuidString)").path
        let s = try atlas(["select", "--embeddings", "Examples/select/prompts.f16.npy", "--texts", "Examples/select/prompts.txt",
                           "--direction", "Examples/select/sae_weights.safetensors:W_dec:3", "--top", "40", "-o", dir + "/sea.jsonl"])
        #expect(s.status == 0, "\(s.err)")
        #expect(s.err.contains("sae_weights-W_dec-3: rows 4000, dimension 128"))
        #expect(FileManager.default.fileExists(atPath: dir + "/sea.histogram.png"))
        let r = try atlas(["render", dir + "/sea.jsonl", "--style", "preview", "--set", "canvas.width=200", "--set", "canvas.height=200",
                           "--set", "decode.steps=4", "--format", "png,html", "-o", dir, "-q"])
        #expect(r.status == 0, "\(r.err)")
        let manifest = try Manifest.read(dir + "/sae_weights-w_dec-3.json")
        // The header records every usable score's distribution; the browser page charts it with the top-K line.
        let histogram = try #require(manifest.latent.selection?.histogram)
        #expect(histogram.counts.reduce(0, +) == 4000 - manifest.latent.selection!.skippedRows && histogram.counts.count >= 10)
        let threshold = manifest.latent.selection!.threshold
        #expect(histogram.lower < threshold && threshold < histogram.upper)
        let page = try String(contentsOfFile: dir + "/sae_weights-w_dec-3.html", encoding: .utf8)
        #expect(page.contains("atlas select: all \(histogram.counts.reduce(0, +)) scores of 4000 rows; the line is the top-40 threshold"))
        #expect(page.contains("<line class=\"threshold\""))
        #expect(page.components(separatedBy: "<rect x=").count - 1 == histogram.counts.filter { $0 > 0 }.count)
        #expect(manifest.contexts.count == 40)
        #expect(manifest.latent.index == "3")
        #expect(manifest.latent.selection?.direction == "Examples/select/sae_weights.safetensors:W_dec:3")
        #expect(manifest.latent.selection?.rows == 4000 && manifest.latent.selection?.top == 40)
    }

    @Test func usageErrorsExit64AndBadInputExits1WithOneSentence() throws {
        let missing = try atlas(["select", "--embeddings", "Examples/select/prompts.f16.npy", "--texts", "Examples/select/prompts.txt"])
        #expect(missing.status == 64)
        let top = try atlas(["select", "--embeddings", "e.npy", "--texts", "t.txt", "--direction", "d.npy", "--top", "0"])
        #expect(top.status == 64)
        let bad = try atlas(["select", "--embeddings", "Examples/select/prompts.f16.npy", "--texts", "Examples/select/prompts.txt",
                             "--direction", "Examples/select/sae_weights.safetensors:W_dec:99"])
        #expect(bad.status == 1)
        #expect(bad.err == "atlas: error: Examples/select/sae_weights.safetensors:W_dec: row 99 is out of range; the matrix has 16 rows (0 … 15).\n")
    }
}
