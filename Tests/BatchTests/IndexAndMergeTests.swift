import Batch
import Foundation
import Graphics
import Testing

@Suite("Index and merge")
struct IndexAndMergeTests {
    @Test func shardsMergeIntoOneIndexAndContactSheet() throws {
        let dir = try temporaryDirectory(), input = dir + "/in", output = dir + "/out"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        for i in 0..<5 { try writeLatent("latent-\(i)", in: input) }
        let jobs = try JobDiscovery.jobs(from: input)

        // Shard 1 of 3 never runs: the merge names what it left undone.
        for k in [0, 2] {
            var options = tinyOptions(output: output, workers: 1)
            options.shard = try Shard(index: k, count: 3)
            _ = BatchRunner(options: options).run(jobs, observer: EventRecorder())
        }
        let partial = ShardMerge.merge(jobs, options: tinyOptions(output: output))
        #expect(!partial.succeeded && partial.missing == [input + "/latent-1.jsonl", input + "/latent-4.jsonl"])
        #expect(partial.table.contains("missing: \(input)/latent-1.jsonl"))

        var last = tinyOptions(output: output)
        last.shard = try Shard(index: 1, count: 3)
        _ = BatchRunner(options: last).run(jobs, observer: EventRecorder())
        let merged = ShardMerge.merge(jobs, options: tinyOptions(output: output))
        #expect(merged.succeeded && merged.latents == 5)

        let index = try GalleryIndex.gather(output)
        #expect(index.posters.map(\.latent) == (0..<5).map { "latent-\($0)" })
        #expect(index.posters.allSatisfy { $0.image == $0.latent + ".png" && $0.manifest.latent.title == "Latent " + $0.latent })
        let written = try index.write(sheet: ContactSheet(columns: 2, thumbnail: 48))
        #expect(written == [output + "/index.json", output + "/contact-sheet.png", output + "/index.html"])
        #expect((0..<5).allSatisfy { FileManager.default.fileExists(atPath: output + "/thumbnails/latent-\($0).png") })
        let sheet = try PNGFile.read(output + "/contact-sheet.png").image
        #expect(sheet.width == 2 * (48 + 4) + 4 && sheet.height == 3 * (48 + 12 + 4) + 4)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output + "/index.json"))) as? [String: Any]
        #expect(json?["count"] as? Int == 5)
        // The index is not mistaken for a manifest next time.
        #expect(try GalleryIndex.gather(output).posters.count == 5)
    }

    @Test func jsonEventsAreOneObjectPerLine() throws {
        let events: [BatchEvent] = [
            .planned(inputs: 2, toRender: 1, workers: 1, shard: .whole),
            .rendered(input: "in/bulk.jsonl", latents: ["a", "b"], seconds: 1),
            .skipped(input: "in/c.jsonl", latents: ["c"]),
            .failed(input: "in/\"odd\".jsonl", reason: "line 1:\n bad"),
        ]
        #expect(events.flatMap(\.jsonLines) == [
            #"{"event":"planned","inputs":2,"to_render":1,"workers":1,"shard":"0/1"}"#,
            #"{"event":"rendered","latent":"a","input":"in/bulk.jsonl","seconds":0.5}"#,
            #"{"event":"rendered","latent":"b","input":"in/bulk.jsonl","seconds":0.5}"#,
            #"{"event":"skipped","latent":"c","input":"in/c.jsonl"}"#,
            #"{"event":"failed","input":"in/\"odd\".jsonl","reason":"line 1:\n bad"}"#,
        ])
        for line in events.flatMap(\.jsonLines) { #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any]) }
    }

    @Test func theProgressBarShowsCountRateAndTimeLeft() {
        var now = 100.0
        var drawn = "", kept = ""
        let bar = ProgressBar(width: 10, clock: { now }, draw: { drawn = $0 }, write: { kept += $0 })
        bar.handle(.planned(inputs: 4, toRender: 4, workers: 2, shard: .whole))
        now = 130
        bar.handle(.rendered(input: "in/a.jsonl", latents: ["a"], seconds: 30))
        #expect(drawn.hasSuffix("[##········] 1/4  2.0 posters/min  ETA 1 min 30 s  a"))
        bar.handle(.failed(input: "in/b.jsonl", reason: "bad"))
        #expect(kept.hasSuffix("failed in/b.jsonl: bad\n"))
    }
}
