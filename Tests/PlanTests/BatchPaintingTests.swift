import AtlasCore
import Batch
import Foundation
import Graphics
import Pipeline
import Plan
import Testing

private final class Quiet: BatchObserver {
    func handle(_ event: BatchEvent) {}
}

@Suite("Batch with paintings")
struct BatchPaintingTests {
    @Test func aPaintingsFolderRendersOnceAndAgainWhenAPaintingChanges() throws {
        let inputs = try temporaryDirectory()
        let example = try smallExample("clockwork")
        try FileManager.default.copyItem(atPath: example, toPath: inputs + "/clockwork.jsonl")
        let style = try Repository.styles.load("preview", overrides: smallCanvas)
        let plans = try temporaryDirectory()
        var export = RenderRequest(input: inputs + "/clockwork.jsonl", style: style, outputDirectory: plans)
        export.exportPlan = plans
        _ = try Renderer.render(export)
        let plan = try PlanFiles.read(plans + "/clockwork")
        try PlanPainter.paint(plan, style: style, to: plans + "/clockwork/painting.png", threads: 2)

        let out = try temporaryDirectory()
        var options = BatchOptions(output: out, style: "preview", overrides: smallCanvas, workers: 1, styles: Repository.styles)
        options.paintings = plans
        let jobs = try JobDiscovery.jobs(from: inputs)
        let first = BatchRunner(options: options).run(jobs, observer: Quiet())
        #expect(first.rendered == 1 && first.failed.isEmpty)
        let png = try PNGFile.read(out + "/clockwork.png")
        #expect(png.text["latentatlas:painting-hash"] == PaintingInput.folder(plans).hash(latents: ["clockwork"]))
        // Up to date: skipped.
        #expect(BatchRunner(options: options).run(jobs, observer: Quiet()).skipped == 1)
        // A repainted latent renders again.
        let flat = RGBAImage(width: plan.canvas.width, height: plan.canvas.height, fill: (30, 60, 90, 255))
        try PNGFile.write(flat, to: plans + "/clockwork/painting.png", options: PNGOptions(text: [(ExternalPainting.textKey, plan.fingerprint)]))
        let third = BatchRunner(options: options).run(jobs, observer: Quiet())
        #expect(third.rendered == 1 && third.skipped == 0)
        #expect(try PNGFile.read(out + "/clockwork.png").image != png.image)
    }
}
