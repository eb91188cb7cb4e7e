import Batch
import Foundation
import Testing

@Suite("Batch manifests and discovery")
struct BatchManifestTests {
    func manifest(_ text: String) throws -> String {
        let path = try temporaryDirectory() + "/manifest.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func entriesTakeTheDefaultsAndOverrideThem() throws {
        let path = try manifest("""
        defaults:
          style: poster
          set: [canvas.dpi=300]
          seed: 3
        latents:
          - input: b.jsonl
            title: Bee
            set: canvas.width=512
          - {input: a.jsonl, style: preview, seed: 9}
        """)
        let jobs = try JobDiscovery.jobs(from: path)
        let folder = (path as NSString).deletingLastPathComponent
        #expect(jobs == [
            BatchJob(name: "a.jsonl", input: folder + "/a.jsonl", style: "preview", overrides: ["canvas.dpi=300"], seed: 9),
            BatchJob(name: "b.jsonl", input: folder + "/b.jsonl", title: "Bee", style: "poster", overrides: ["canvas.dpi=300", "canvas.width=512"], seed: 3),
        ])
    }

    @Test func mistakesNameTheFileAndLine() throws {
        let typo = try manifest("latents:\n  - input: a.jsonl\n    titel: A\n")
        #expect(throws: BatchError.invalidManifest(file: typo, line: 3, reason: "unknown key 'titel'; did you mean 'title'?")) {
            try JobDiscovery.jobs(from: typo)
        }
        let seed = try manifest("latents:\n  - {input: a.jsonl, seed: -1}\n")
        #expect(throws: BatchError.invalidManifest(file: seed, line: 2, reason: "'seed' must be a whole number ≥ 0")) {
            try JobDiscovery.jobs(from: seed)
        }
        let twice = try manifest("latents:\n  - input: a.jsonl\n  - input: ./a.jsonl\n")
        #expect(throws: BatchError.duplicateInput(file: twice, input: "./a.jsonl")) { try JobDiscovery.jobs(from: twice) }
        let empty = try manifest("defaults: {style: poster}\n")
        #expect(throws: BatchError.self) { try JobDiscovery.jobs(from: empty) }
    }

    @Test func aFolderIsSearchedRecursivelyLeavingOutTheOutput() throws {
        let dir = try temporaryDirectory()
        for sub in ["sae/a", "out", ".hidden", "old-posters/.atlas-batch"] { try FileManager.default.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true) }
        for file in ["x.jsonl", "sae/y.json", "sae/a/z.ndjson", "notes.txt", "out/x.json", ".hidden/w.jsonl", "old-posters/p.json"] {
            try Data(#"{"id": "a", "text": "x", "score": 1}"#.utf8).write(to: URL(fileURLWithPath: dir + "/" + file))
        }
        let jobs = try JobDiscovery.jobs(from: dir, excluding: dir + "/out")
        #expect(jobs.map(\.name) == ["sae/a/z.ndjson", "sae/y.json", "x.jsonl"])
        #expect(jobs[0].input == dir + "/sae/a/z.ndjson")
        try FileManager.default.createDirectory(atPath: dir + "/empty", withIntermediateDirectories: true)
        #expect(throws: BatchError.noInputs(source: dir + "/empty")) { try JobDiscovery.jobs(from: dir + "/empty") }
        #expect(throws: BatchError.sourceNotFound(dir + "/missing")) { try JobDiscovery.jobs(from: dir + "/missing") }
    }

    @Test func memorySizesAndEstimates() throws {
        #expect(MemoryBudget.parse("8G") == 8 << 30 && MemoryBudget.parse("512M") == 512 << 20 && MemoryBudget.parse("1000") == 1000)
        #expect(MemoryBudget.parse("lots") == nil && MemoryBudget.parse("0") == nil)
        let poster = try Repository.styles.load("poster"), exhibition = try Repository.styles.load("exhibition")
        #expect(MemoryBudget.estimate(exhibition).needed > 4 * MemoryBudget.estimate(poster).needed)
    }
}
