import AtlasCore
import Batch
import Contexts
import Foundation
import Select
import Styles
import Testing

/// A batch manifest's `selections`: several directions against one embedding file, scanned once.
@Suite("Batch selections")
struct BatchSelectionTests {
    /// A 60 × 8 float32 .npy with row i = e_(i mod 8) * (1 + i / 60), and its texts.
    func writeInputs(in folder: String) throws {
        var dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (60, 8), }"
        while (10 + dict.utf8.count + 1) % 64 != 0 { dict += " " }
        dict += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(dict.utf8.count), 0] + Array(dict.utf8)
        for i in 0..<60 {
            for j in 0..<8 {
                let v: Float = j == i % 8 ? 1 + Float(i) / 60 : 0.05
                bytes += withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init)
            }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/E.npy"))
        try Data((0..<60).map { "{\"text\": \"prompt \($0)\"}\n" }.joined().utf8).write(to: URL(fileURLWithPath: folder + "/texts.jsonl"))
    }

    @Test func directionsBecomeJobsAndAreSelectedInOnePass() throws {
        let folder = try temporaryDirectory()
        try writeInputs(in: folder)
        let path = folder + "/manifest.yaml"
        try """
        defaults: {style: poster}
        selections:
          - embeddings: E.npy
            texts: texts.jsonl
            top: 5
            directions:
              - {direction: "[1, 0, 0, 0, 0, 0, 0, 0]", name: first, title: The first axis}
              - {direction: "E.npy:3", name: Third Axis, seed: 4}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let manifest = try BatchManifest.read(path)
        #expect(manifest.jobs.map(\.name) == ["selected/first.jsonl", "selected/third-axis.jsonl"])
        #expect(manifest.jobs[1].seed == 4 && manifest.jobs[0].title == "The first axis")
        let style = try Repository.styles.load("poster", overrides: [])
        var lines: [String] = []
        try SelectionGroup.prepare(manifest.selections, settings: style.settings.select, palette: style.settings.palette,
                                   family: style.settings.typography.family, force: false, threads: 2) { lines.append($0) }
        #expect(lines.count == 2 && lines[0].hasPrefix("selected first: top 5 of 60 rows"))
        let first = try #require(try LatentReader.read(folder + "/selected/first.jsonl").first)
        #expect(first.contexts.map(\.id) == ["56", "48", "40", "32", "24"])
        #expect(first.selection?.top == 5)
        #expect(FileManager.default.fileExists(atPath: folder + "/selected/third-axis.histogram.png"))
        // Up to date now: nothing is scanned again.
        lines = []
        try SelectionGroup.prepare(manifest.selections, settings: style.settings.select, palette: style.settings.palette,
                                   family: style.settings.typography.family, force: false, threads: 2) { lines.append($0) }
        #expect(lines == ["selection up to date: 2 direction(s) against \(folder)/E.npy"])
    }

    @Test func badSelectionEntriesNameTheLine() throws {
        let folder = try temporaryDirectory()
        let path = folder + "/manifest.yaml"
        try """
        selections:
          - embeddings: E.npy
            texts: texts.jsonl
            directions:
              - {direction: "E.npy:3", nmae: x}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: BatchError.invalidManifest(file: path, line: 5, reason: "unknown key 'nmae'; did you mean 'name'?")) {
            _ = try BatchManifest.read(path)
        }
    }
}
