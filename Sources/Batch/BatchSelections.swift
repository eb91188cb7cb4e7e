import AtlasCore
import Contexts
import Encode
import Foundation
import Select
import Yams

/// A batch manifest's `selections`: one embedding matrix and its texts against several directions,
/// scanned once for all of them; each direction becomes a contexts file and a latent to render.
///
/// ```yaml
/// selections:
///   - embeddings: prompts.f16.npy
///     texts: prompts.jsonl
///     top: 250                      # optional; else the style's select.top
///     output: selected              # folder for the contexts files (default: selected)
///     directions:
///       - {direction: sae_weights.safetensors:W_dec:3, name: sae-3, title: Glowing things at sea}
///       - {direction: steering.npy, name: steering, style: gallery}
/// ```
public struct SelectionGroup: Sendable, Equatable {
    public static let keys = ["embeddings", "texts", "top", "output", "directions"]
    public static let directionKeys = ["direction", "name", "title", "model", "layer", "index", "style", "set", "seed"]

    public var embeddings: String
    public var texts: String
    public var top: Int?
    /// Where the contexts files go.
    public var folder: String
    public var targets: [Selection.Target]
    /// The manifest: a change to it selects again.
    public var manifest: String

    /// Every file the selection reads (to tell whether its outputs are up to date).
    var inputs: [String] {
        [manifest, embeddings.components(separatedBy: ":")[0], texts] + targets.compactMap { t in
            t.direction.hasPrefix("[") ? nil : (try? existingPrefix(t.direction))
        }
    }

    func existingPrefix(_ spec: String) throws -> String {
        let parts = spec.components(separatedBy: ":")
        for cut in stride(from: parts.count, through: 1, by: -1) {
            let p = parts[0..<cut].joined(separator: ":")
            if FileManager.default.fileExists(atPath: p) { return p }
        }
        return spec
    }

    /// True when every output exists and is newer than every input.
    public var isUpToDate: Bool {
        func modified(_ p: String) -> Date? { (try? FileManager.default.attributesOfItem(atPath: p))?[.modificationDate] as? Date }
        let newestInput = inputs.compactMap(modified).max() ?? .distantFuture
        return targets.allSatisfy { t in modified(t.output ?? "").map { $0 >= newestInput } ?? false }
    }

    /// Runs the selection (one scan for every direction) with the batch's style for the histograms.
    public func run(settings: SelectSettings, palette: Palette, family: String, threads: Int) throws -> [Selection.Outcome] {
        var s = settings
        if let top { s.top = top }
        var timings = Selection.Timings()
        return try Selection(embeddings: embeddings, texts: texts, targets: targets, settings: s, palette: palette, family: family,
                             outputFolder: folder, threads: threads).run(timings: &timings)
    }

    /// Selects every group that is not up to date (all of them with `force`), before the renders.
    public static func prepare(_ groups: [SelectionGroup], settings: SelectSettings, palette: Palette, family: String, force: Bool,
                               threads: Int, log: (String) -> Void) throws {
        for g in groups {
            if !force && g.isUpToDate {
                log("selection up to date: \(g.targets.count) direction(s) against \(g.embeddings)")
                continue
            }
            for o in try g.run(settings: settings, palette: palette, family: family, threads: threads) {
                log("selected \(o.name): top \(o.record.top) of \(o.record.rows) rows, score ≥ \(Float(o.record.threshold)) (\(o.output))")
            }
        }
    }

    /// Reads the `selections` list; returns the groups and a job per direction.
    static func read(_ node: Node?, reader: BatchManifest.Reader, manifest: String, defaults: BatchJob) throws -> ([SelectionGroup], [BatchJob]) {
        guard let node else { return ([], []) }
        guard let list = node.sequence else { throw reader.fail(node, "'selections' must be a list of entries with 'embeddings', 'texts' and 'directions'") }
        let base = (manifest as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String {
            p.hasPrefix("/") || p.hasPrefix("[") ? p : ((base as NSString).appendingPathComponent(p) as NSString).standardizingPath
        }
        var groups: [SelectionGroup] = [], jobs: [BatchJob] = []
        for entry in list {
            try reader.checkKeys(entry, allowed: keys)
            guard let embeddings = try reader.string(entry, "embeddings") else { throw reader.fail(entry, "a selection has no 'embeddings' matrix") }
            guard let texts = try reader.string(entry, "texts") else { throw reader.fail(entry, "a selection has no 'texts' file") }
            var top: Int?
            if let t = entry["top"] {
                guard let v = t.scalar.flatMap({ Int($0.string) }), v >= 1 else { throw reader.fail(t, "'top' must be a whole number ≥ 1") }
                top = v
            }
            let output = try reader.string(entry, "output") ?? "selected"
            let folder = resolve(output)
            guard let directions = entry["directions"]?.sequence, !directions.isEmpty else {
                throw reader.fail(entry, "a selection needs a 'directions' list of entries with a 'direction'")
            }
            var targets: [Selection.Target] = []
            for d in directions {
                try reader.checkKeys(d, allowed: directionKeys)
                guard let spec = try reader.string(d, "direction") else { throw reader.fail(d, "an entry has no 'direction'") }
                guard let name = try reader.string(d, "name") else {
                    throw reader.fail(d, "direction '\(spec)' has no 'name'; each direction's contexts file is named by it")
                }
                let safe: String
                do { safe = try OutputName.stem(for: name) } catch { throw reader.fail(d, "direction name '\(name)' cannot name a file: \(error)") }
                let path = (folder as NSString).appendingPathComponent("\(safe).jsonl")
                targets.append(Selection.Target(direction: resolve(spec), name: name, title: try reader.string(d, "title"),
                                                model: try reader.string(d, "model"), layer: try reader.string(d, "layer"),
                                                index: try reader.string(d, "index"), output: path))
                let jobName = ((output as NSString).appendingPathComponent("\(safe).jsonl") as NSString).standardizingPath
                jobs.append(BatchJob(name: jobName, input: path, title: try reader.string(d, "title"),
                                     style: try reader.string(d, "style") ?? defaults.style,
                                     overrides: defaults.overrides + (try reader.strings(d, "set")),
                                     seed: try reader.seed(d) ?? defaults.seed))
            }
            groups.append(SelectionGroup(embeddings: resolve(embeddings), texts: resolve(texts), top: top, folder: folder,
                                         targets: targets, manifest: manifest))
        }
        return (groups, jobs)
    }
}
