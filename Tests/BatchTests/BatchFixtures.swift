import Batch
import Foundation
import Styles

/// Paths into the repository, found from this file so tests run from any working directory.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    static let styles = StyleLibrary(directories: [path("Styles")])
}

func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-batch-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.path
}

/// The poster style at a size that renders in a blink.
let tinyCanvas = ["canvas.width=96", "canvas.height=96"]

func tinyOptions(output: String, workers: Int = 2) -> BatchOptions {
    BatchOptions(output: output, style: "poster", overrides: tinyCanvas, workers: workers, styles: Repository.styles)
}

/// A small LatentAtlas JSONL latent; `variant` changes its contexts (and so its bytes).
func writeLatent(_ name: String, in folder: String, contexts: Int = 14, variant: Int = 0) throws {
    let words = ["tide", "lantern", "harbour", "glow", "reef", "current", "salt", "kelp", "moon", "foam"]
    var lines = ["{\"latent\": {\"name\": \"\(name)\", \"title\": \"Latent \(name)\"}}"]
    for i in 0..<contexts {
        let text = "\(words[(i + variant) % words.count]) and {{\(words[(i * 3 + 1) % words.count])}} number \(i)"
        lines.append("{\"id\": \"c\(i)\", \"text\": \"\(text)\", \"score\": \(Double(contexts - i) / Double(contexts))}")
    }
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: folder + "/" + name + ".jsonl"))
}

/// A Neuronpedia bulk export holding two features: one input, two latents.
func writeBulkExport(_ name: String, in folder: String) throws {
    var rows: [String] = []
    for index in [7, 9] {
        for i in 0..<8 {
            rows.append("""
            {"modelId": "m", "layer": "1-res", "index": "\(index)", "tokens": ["▁the", "▁quiet", "▁sea", "▁\(i)"], \
            "values": [0.1, \(Double(i) / 8), 0.9, 0.2], "maxValue": 0.9, "maxValueTokenIndex": 2}
            """)
        }
    }
    try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: folder + "/" + name + ".jsonl"))
}

/// Keeps every event for inspection.
final class EventRecorder: BatchObserver, @unchecked Sendable {
    private(set) var events: [BatchEvent] = []

    func handle(_ event: BatchEvent) { events.append(event) }

    var rendered: [String] { events.flatMap { if case let .rendered(_, l, _) = $0 { return l } else { return [] } }.sorted() }
    var skipped: [String] { events.flatMap { if case let .skipped(_, l) = $0 { return l } else { return [] } }.sorted() }
    var failed: [String] { events.compactMap { if case let .failed(input, _) = $0 { return input } else { return nil } }.sorted() }
}

/// Every file of a render folder (the batch's own state left out), manifests without their timings:
/// what "the same outputs" means for two runs.
func renderedFiles(_ folder: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder) where !name.hasPrefix(".atlas-batch") {
        var data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        if name.hasSuffix(".json"), var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] {
            object["timings"] = nil
            data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        }
        files[name] = data
    }
    return files
}
