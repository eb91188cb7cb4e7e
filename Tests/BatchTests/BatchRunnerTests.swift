import Batch
import Encode
import Foundation
import Pipeline
import Testing

@Suite("Batch runs")
struct BatchRunnerTests {
    @Test func skipsWhatIsUpToDateAndForceRendersAgain() throws {
        let dir = try temporaryDirectory(), input = dir + "/in", output = dir + "/out"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        for name in ["a", "b", "c"] { try writeLatent(name, in: input) }
        let jobs = try JobDiscovery.jobs(from: input, excluding: output)

        let first = EventRecorder()
        #expect(BatchRunner(options: tinyOptions(output: output)).run(jobs, observer: first).rendered == 3)
        #expect(first.rendered == ["a", "b", "c"])

        let second = EventRecorder()
        let again = BatchRunner(options: tinyOptions(output: output)).run(jobs, observer: second)
        #expect(again.rendered == 0 && again.skipped == 3 && second.skipped == ["a", "b", "c"])

        // Same bytes with a new modification time: hashed again, still up to date.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: input + "/a.jsonl")
        // Changed bytes, a deleted image and a manifest from another render each make one job stale.
        try writeLatent("b", in: input, variant: 1)
        try FileManager.default.removeItem(atPath: output + "/c.png")
        let third = EventRecorder()
        _ = BatchRunner(options: tinyOptions(output: output)).run(jobs, observer: third)
        #expect(third.rendered == ["b", "c"] && third.skipped == ["a"])

        var restyled = tinyOptions(output: output)
        restyled.seed = 99
        #expect(BatchRunner(options: restyled).run(jobs, observer: EventRecorder()).rendered == 3)

        var forced = restyled
        forced.force = true
        let fourth = EventRecorder()
        #expect(BatchRunner(options: forced).run(jobs, observer: fourth).rendered == 3 && fourth.skipped.isEmpty)
    }

    @Test func aDamagedOutputIsNoticedAndRenderedAgain() throws {
        let dir = try temporaryDirectory(), input = dir + "/in", output = dir + "/out"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        for name in ["a", "b", "c"] { try writeLatent(name, in: input) }
        let jobs = try JobDiscovery.jobs(from: input)
        _ = BatchRunner(options: tinyOptions(output: output)).run(jobs, observer: EventRecorder())
        let original = try Data(contentsOf: URL(fileURLWithPath: output + "/a.png"))
        // Truncated by hand: a different size.
        try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: output + "/a.png"))
        // Damaged in place, same size, written after the batch recorded it.
        var damaged = try Data(contentsOf: URL(fileURLWithPath: output + "/b.png"))
        damaged[damaged.count / 2] ^= 0xff
        try damaged.write(to: URL(fileURLWithPath: output + "/b.png"))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 5)], ofItemAtPath: output + "/b.png")
        let second = EventRecorder()
        _ = BatchRunner(options: tinyOptions(output: output)).run(jobs, observer: second)
        #expect(second.rendered == ["a", "b"] && second.skipped == ["c"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: output + "/a.png")) == original)
    }

    @Test func aCorruptLatentFailsAloneAndIsReported() throws {
        let dir = try temporaryDirectory(), input = dir + "/in", output = dir + "/out"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        for name in ["good-1", "good-2", "good-3"] { try writeLatent(name, in: input) }
        try Data("{\"id\": \"x\", \"text\": \"broken\", \"score\": \"high\"}\n".utf8).write(to: URL(fileURLWithPath: input + "/bad.jsonl"))
        let jobs = try JobDiscovery.jobs(from: input, excluding: output)

        let events = EventRecorder()
        let summary = BatchRunner(options: tinyOptions(output: output)).run(jobs, observer: events)
        #expect(summary.rendered == 3 && !summary.succeeded)
        #expect(summary.failed.map(\.input) == [input + "/bad.jsonl"])
        #expect(summary.failed[0].reason.hasPrefix(input + "/bad.jsonl:1"))
        #expect(summary.failed[0].reason.contains("score"))
        #expect(summary.table.contains("failed: \(input)/bad.jsonl: "))
        for name in ["good-1", "good-2", "good-3"] { #expect(FileManager.default.fileExists(atPath: "\(output)/\(name).png")) }
        guard case .finished = events.events.last else { Issue.record("the last event is not the summary"); return }

        // The failure is retried on the next run; the good ones are not.
        let retry = BatchRunner(options: tinyOptions(output: output)).run(jobs, observer: EventRecorder())
        #expect(retry.skipped == 3 && retry.failed.count == 1)
    }

    @Test func twoInputsNamingOneLatentAreReported() throws {
        let dir = try temporaryDirectory(), output = dir + "/out"
        for layer in ["layer-3", "layer-4"] {
            try FileManager.default.createDirectory(atPath: dir + "/in/" + layer, withIntermediateDirectories: true)
            try writeLatent("feature-12", in: dir + "/in/" + layer)
        }
        let summary = BatchRunner(options: tinyOptions(output: output, workers: 1)).run(try JobDiscovery.jobs(from: dir + "/in"), observer: EventRecorder())
        #expect(summary.rendered == 1)
        #expect(summary.failed.map(\.reason) == ["\(dir)/in/layer-4/feature-12.jsonl renders latent 'feature-12', as \(dir)/in/layer-3/feature-12.jsonl does, "
            + "and their files would overwrite each other; give one a different name in its header or file name."])
        // Refused before it drew anything: the poster and manifest are still the first input's.
        let manifest = try Manifest.read(output + "/feature-12.json")
        #expect(manifest.input.path == "\(dir)/in/layer-3/feature-12.jsonl")
    }

    @Test func failFastStopsStartingRenders() throws {
        let dir = try temporaryDirectory(), input = dir + "/in", output = dir + "/out"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        for name in ["a", "b", "c", "d"] { try writeLatent(name, in: input) }
        try Data("not json\n".utf8).write(to: URL(fileURLWithPath: input + "/0-bad.jsonl"))
        var options = tinyOptions(output: output, workers: 1)
        options.failFast = true
        let summary = BatchRunner(options: options).run(try JobDiscovery.jobs(from: input), observer: EventRecorder())
        #expect(summary.failed.count == 1 && summary.rendered == 0 && summary.notStarted == 4)
    }

    @Test func theMemoryBudgetBoundsTheWorkers() throws {
        let dir = try temporaryDirectory(), input = dir + "/in"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        for name in ["a", "b", "c"] { try writeLatent(name, in: input) }
        var options = tinyOptions(output: dir + "/out", workers: 4)
        // Room for one tiny render (~65 MB estimated) but not two.
        options.memoryLimit = 80 << 20
        let events = EventRecorder()
        #expect(BatchRunner(options: options).run(try JobDiscovery.jobs(from: input), observer: events).rendered == 3)
        #expect(events.events.first == .planned(inputs: 3, toRender: 3, workers: 1, shard: .whole))
    }

    @Test func anInterruptedRunResumesToTheSameOutputs() throws {
        let dir = try temporaryDirectory(), input = dir + "/in"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        for i in 0..<6 { try writeLatent("latent-\(i)", in: input) }
        let jobs = try JobDiscovery.jobs(from: input)

        let reference = dir + "/uninterrupted"
        #expect(BatchRunner(options: tinyOptions(output: reference)).run(jobs, observer: EventRecorder()).succeeded)

        // The process "dies" after k renders: the next render writes its image, then everything stops
        // before its manifest, as a kill would, leaving a temporary file behind as well.
        let resumed = dir + "/resumed", k = 2
        let calls = Counter()
        let dying = BatchRunner(options: tinyOptions(output: resumed)) { request in
            let n = calls.next()
            if n < k { return try Renderer.render(request) }
            if n == k {
                _ = try Renderer.render(request)
                let latent = ((request.input as NSString).lastPathComponent as NSString).deletingPathExtension
                try FileManager.default.removeItem(atPath: resumed + "/" + latent + ".json")
                try Data("partial".utf8).write(to: URL(fileURLWithPath: resumed + "/.x.png.999999.1.tmp"))
            }
            throw CocoaError(.userCancelled)
        }
        let interrupted = dying.run(jobs, observer: EventRecorder())
        #expect(interrupted.rendered == k && interrupted.failed.count == jobs.count - k)

        let resume = BatchRunner(options: tinyOptions(output: resumed)).run(jobs, observer: EventRecorder())
        #expect(resume.skipped == k && resume.rendered == jobs.count - k && resume.succeeded)
        #expect(try renderedFiles(resumed) == renderedFiles(reference))
    }

    // Issue 11.9: a bulk file was one job; a lost latent re-rendered the whole file.
    @Test func aBulkExportIsOneJobPerLatent() throws {
        let dir = try temporaryDirectory(), input = dir + "/in", output = dir + "/out"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        try writeBulkExport("bulk", in: input)
        let jobs = try JobDiscovery.jobs(from: input)
        let first = EventRecorder()
        _ = BatchRunner(options: tinyOptions(output: output)).run(jobs, observer: first)
        #expect(first.rendered == ["m-1-res-7", "m-1-res-9"])
        #expect(BatchRunner(options: tinyOptions(output: output)).run(jobs, observer: EventRecorder()).skipped == 2)
        // One latent's manifest gone: only that latent renders again.
        try FileManager.default.removeItem(atPath: output + "/m-1-res-9.json")
        let again = EventRecorder()
        _ = BatchRunner(options: tinyOptions(output: output)).run(jobs, observer: again)
        #expect(again.rendered == ["m-1-res-9"] && again.skipped == ["m-1-res-7"])
    }

    @Test func aManifestGivesTitlesSeedsAndStyles() throws {
        let dir = try temporaryDirectory(), output = dir + "/out"
        try FileManager.default.createDirectory(atPath: dir + "/sae", withIntermediateDirectories: true)
        for name in ["a", "b"] { try writeLatent(name, in: dir + "/sae") }
        try """
        defaults: {seed: 5, set: ["palette.highlight=#ff2d55"]}
        latents:
          - input: sae/a.jsonl
            title: A title from the manifest
            seed: 11
          - {input: sae/b.jsonl, style: preview, set: [canvas.dpi=72]}
        """.write(toFile: dir + "/manifest.yaml", atomically: true, encoding: .utf8)
        let jobs = try JobDiscovery.jobs(from: dir + "/manifest.yaml")
        #expect(jobs.map(\.name) == ["sae/a.jsonl", "sae/b.jsonl"])
        #expect(BatchRunner(options: tinyOptions(output: output)).run(jobs, observer: EventRecorder()).rendered == 2)
        let a = try Manifest.read(output + "/a.json"), b = try Manifest.read(output + "/b.json")
        #expect(a.latent.title == "A title from the manifest" && a.seed == 11)
        #expect(b.seed == 5 && b.style.name == "preview" && b.canvas.dpi == 72)
        #expect(b.style.overrides == tinyCanvas + ["palette.highlight=#ff2d55", "canvas.dpi=72", "seed=5"])

        // A new title is a new fingerprint.
        try String(contentsOfFile: dir + "/manifest.yaml", encoding: .utf8).replacingOccurrences(of: "A title", with: "Another title")
            .write(toFile: dir + "/manifest.yaml", atomically: true, encoding: .utf8)
        let events = EventRecorder()
        _ = BatchRunner(options: tinyOptions(output: output)).run(try JobDiscovery.jobs(from: dir + "/manifest.yaml"), observer: events)
        #expect(events.rendered == ["a"] && events.skipped == ["b"])
    }
}

/// Counts calls from several worker threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// The number of earlier calls.
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value - 1
    }
}
