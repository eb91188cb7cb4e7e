import Batch
import Foundation
import Pipeline
import Testing

/// gzip-compresses a file in place (`name` → `name.gz`), as Neuronpedia's exports are.
private func gzip(_ path: String) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/gzip")
    p.arguments = ["-f", "-5", path]
    try p.run()
    p.waitUntilExit()
}

/// `<root>/gpt2-small/8-res-jb/` with activations, explanations, features and metadata rows.
private func writeExportTree(_ root: String) throws -> String {
    let source = root + "/gpt2-small/8-res-jb"
    for sub in ["activations", "explanations", "features"] {
        try FileManager.default.createDirectory(atPath: source + "/" + sub, withIntermediateDirectories: true)
    }
    var rows: [String] = []
    for index in 0..<3 {
        for i in 0..<6 {
            // Feature 2 is dead: every value 0.
            let v = index == 2 ? 0 : Double(i + 1) / 6
            rows.append(#"{"id": "a\#(index)-\#(i)", "modelId": "gpt2-small", "layer": "8-res-jb", "index": "\#(index)", "creatorId": "c", "dataSource": null, "tokens": ["<|endoftext|>", "Ġthe", "Ġsea", "Ġ\#(i)"], "maxValue": \#(v), "minValue": 0, "values": [0, \#(v / 2), \#(v), 0], "maxValueTokenIndex": 2, "dfaValues": [], "dfaMaxValue": NaN, "dfaTargetIndex": null, "binContains": -1, "binMin": -1, "binMax": 99}"#)
        }
    }
    try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: source + "/activations/batch-0.jsonl"))
    try gzip(source + "/activations/batch-0.jsonl")
    try Data((#"{"id": "e1", "modelId": "gpt2-small", "layer": "8-res-jb", "index": "1", "authorId": "x", "description": "the sea at night", "embedding": null, "typeName": null, "explanationModelName": null, "umap_x": null, "umap_y": null, "umap_cluster": null, "umap_log_feature_sparsity": null}"# + "\n").utf8)
        .write(to: URL(fileURLWithPath: source + "/explanations/batch-0.jsonl"))
    try gzip(source + "/explanations/batch-0.jsonl")
    try Data((#"{"modelId": "gpt2-small", "layer": "8-res-jb", "index": "0", "maxActApprox": 1, "frac_nonzero": 0.1}"# + "\n").utf8)
        .write(to: URL(fileURLWithPath: source + "/features/batch-0.jsonl"))
    try gzip(source + "/features/batch-0.jsonl")
    for meta in ["model", "source", "sourceset", "release"] {
        try Data(#"{"id": "x", "creatorId": "c", "createdAt": "2024-01-01"}"#.utf8).write(to: URL(fileURLWithPath: "\(source)/\(meta).jsonl"))
    }
    return source
}

@Suite("Batch on real exports")
struct BatchRealDataTests {
    // Issue 11.1: the export tree's .gz files were skipped silently and its other files failed.
    @Test func anExportTreeIsOneSourceAndTheRestIsIgnoredWithALine() throws {
        let dir = try temporaryDirectory()
        let source = try writeExportTree(dir + "/exports")
        try Data("notes".utf8).write(to: URL(fileURLWithPath: dir + "/exports/README.txt"))
        let found = try JobDiscovery.discover(dir + "/exports")
        #expect(found.jobs.map(\.name) == ["gpt2-small/8-res-jb/activations/batch-0.jsonl.gz"])
        #expect(found.ignored.count == 5)
        #expect(found.ignored.contains { $0.hasPrefix(dir + "/exports/README.txt: not an input") })
        #expect(found.ignored.contains { $0.hasPrefix(source + "/model.jsonl: not an input") })

        // Issue 11.4: the dead feature is passed over with a reason, not rendered.
        let events = EventRecorder()
        let summary = BatchRunner(options: tinyOptions(output: dir + "/out")).run(found.jobs, observer: events)
        #expect(summary.rendered == 2 && summary.failed.isEmpty)
        #expect(summary.passedOver.map(\.latent) == ["gpt2-small-8-res-jb-2"])
        #expect(summary.passedOver[0].reason == "all 6 of its activations are 0")
        #expect(summary.table.contains("passed over: gpt2-small-8-res-jb-2"))
        // The explanation is the title.
        let manifest = try String(contentsOfFile: dir + "/out/gpt2-small-8-res-jb-1.json", encoding: .utf8)
        #expect(manifest.contains("\"title\" : \"the sea at night\""))
    }

    // Issue 14.8: symlinked inputs were ignored; follow them once, without looping.
    @Test func symbolicLinksAreFollowedOnce() throws {
        let dir = try temporaryDirectory()
        let real = dir + "/real", tree = dir + "/tree"
        for d in [real, tree] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        try writeLatent("linked-file", in: real)
        try writeLatent("in-folder", in: real)
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: tree + "/one.jsonl", withDestinationPath: real + "/linked-file.jsonl")
        try fm.createSymbolicLink(atPath: tree + "/folder", withDestinationPath: real)
        try fm.createSymbolicLink(atPath: real + "/loop", withDestinationPath: tree)
        let found = try JobDiscovery.discover(tree)
        #expect(found.jobs.map(\.name) == ["folder/in-folder.jsonl", "folder/linked-file.jsonl"])
        #expect(found.ignored.contains { $0.contains("folder/loop: a symbolic link to a folder already read (a loop)") })
        #expect(found.ignored.contains { $0.contains("one.jsonl: the same file as another input") })
    }

    // Issue 11.9: a bulk file is one job per latent: both workers, shards and resume count latents.
    @Test func aBulkFileRunsItsLatentsInParallelAndResumesPerLatent() throws {
        let dir = try temporaryDirectory(), input = dir + "/in", output = dir + "/out"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        try writeBulkExport("bulk", in: input)
        let jobs = try JobDiscovery.jobs(from: input)
        // A run killed after one latent: the other's render never completed.
        let killed = BatchRunner(options: tinyOptions(output: output)) { request in
            if request.latent == "m-1-res-9" { throw CocoaError(.userCancelled) }
            return try Renderer.render(request)
        }.run(jobs, observer: EventRecorder())
        #expect(killed.workers == 2 && killed.rendered == 1)
        let resumed = EventRecorder()
        let summary = BatchRunner(options: tinyOptions(output: output)).run(jobs, observer: resumed)
        #expect(resumed.rendered == ["m-1-res-9"] && resumed.skipped == ["m-1-res-7"] && summary.succeeded)

        var shard = tinyOptions(output: dir + "/sharded")
        shard.shard = try Shard(index: 1, count: 2)
        let half = EventRecorder()
        _ = BatchRunner(options: shard).run(jobs, observer: half)
        #expect(half.rendered == ["m-1-res-9"])
        guard case let .planned(latents, _, _, _)? = half.events.first else { Issue.record("no plan"); return }
        #expect(latents == 1)
    }

    @Test func gzipInputsAreFound() throws {
        let dir = try temporaryDirectory()
        try writeBulkExport("bulk", in: dir)
        try gzip(dir + "/bulk.jsonl")
        let found = try JobDiscovery.discover(dir)
        #expect(found.jobs.map(\.name) == ["bulk.jsonl.gz"] && found.ignored.isEmpty)
    }
}
