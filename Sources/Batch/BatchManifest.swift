import AtlasCore
import Foundation
import Yams

/// A batch manifest (`manifest.yaml`): which inputs to render, each with an optional title, style,
/// overrides and seed, plus defaults for them all. Input paths are relative to the manifest's folder.
///
/// ```yaml
/// defaults: {style: poster, set: [palette.highlight=#ff2d55], seed: 7}
/// latents:
///   - input: sae/latent-0001.jsonl
///     title: Light under the sea
///     seed: 11
///   - {input: sae/bulk.jsonl, set: [canvas.dpi=300]}
/// ```
public struct BatchManifest: Sendable, Equatable {
    public static let defaultKeys = ["style", "set", "seed"]
    public static let entryKeys = ["input", "title", "style", "set", "seed"]

    public var jobs: [BatchJob]
    /// Directions to select contexts for before rendering (`selections`, see `SelectionGroup`).
    public var selections: [SelectionGroup] = []

    public static func read(_ path: String) throws -> BatchManifest {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BatchError.invalidManifest(file: path, line: nil, reason: "cannot be read as UTF-8 text")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw BatchError.invalidManifest(file: path, line: nil, reason: "is not valid YAML (\(error))")
        }
        let reader = Reader(file: path)
        guard let root, let top = root.mapping else {
            throw BatchError.invalidManifest(file: path, line: root.flatMap(reader.line), reason: "must be a mapping with a 'latents' list")
        }
        try reader.checkKeys(root, allowed: ["defaults", "latents", "selections"])
        var defaults = BatchJob(name: "", input: "")
        if let d = top["defaults"] {
            try reader.checkKeys(d, allowed: defaultKeys)
            defaults.style = try reader.string(d, "style")
            defaults.overrides = try reader.strings(d, "set")
            defaults.seed = try reader.seed(d)
        }
        let (groups, selected) = try SelectionGroup.read(top["selections"], reader: reader, manifest: path, defaults: defaults)
        guard let list = top["latents"]?.sequence ?? (groups.isEmpty ? nil : []) else {
            throw BatchError.invalidManifest(file: path, line: reader.line(root), reason: "needs a 'latents' list of entries with an 'input'")
        }
        let folder = (path as NSString).deletingLastPathComponent
        var jobs: [BatchJob] = []
        var seen = Set<String>()
        for job in selected {
            guard seen.insert(job.name).inserted else { throw BatchError.duplicateInput(file: path, input: job.name) }
            jobs.append(job)
        }
        for entry in list {
            try reader.checkKeys(entry, allowed: entryKeys)
            guard let input = try reader.string(entry, "input"), !input.isEmpty else {
                throw BatchError.invalidManifest(file: path, line: reader.line(entry), reason: "an entry has no 'input' path")
            }
            // `./a.jsonl` and `a.jsonl` are one input.
            let name = (input.hasPrefix("/") ? "/" : "") + input.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
            guard seen.insert(name).inserted else { throw BatchError.duplicateInput(file: path, input: input) }
            let location = input.hasPrefix("/") ? input : (folder as NSString).appendingPathComponent(input)
            jobs.append(BatchJob(name: name, input: location, title: try reader.string(entry, "title"),
                                 style: try reader.string(entry, "style") ?? defaults.style,
                                 overrides: defaults.overrides + (try reader.strings(entry, "set")),
                                 seed: try reader.seed(entry) ?? defaults.seed))
        }
        return BatchManifest(jobs: jobs, selections: groups)
    }

    /// Typed access to manifest nodes; every failure names the file and line.
    struct Reader {
        var file: String

        func line(_ node: Node) -> Int? { node.mark.map(\.line) }

        func fail(_ node: Node, _ reason: String) -> BatchError {
            .invalidManifest(file: file, line: line(node), reason: reason)
        }

        func checkKeys(_ node: Node, allowed: [String]) throws {
            guard let mapping = node.mapping else { throw fail(node, "expected a mapping with keys \(allowed.joined(separator: ", "))") }
            for key in mapping.keys {
                let k = key.string ?? ""
                guard !allowed.contains(k) else { continue }
                let hint = Suggestion.nearest(to: k, in: allowed).map { "; did you mean '\($0)'?" } ?? "; allowed: \(allowed.joined(separator: ", "))"
                throw fail(key, "unknown key '\(k)'\(hint)")
            }
        }

        func string(_ node: Node, _ key: String) throws -> String? {
            guard let v = node[key] else { return nil }
            guard let s = v.scalar?.string else { throw fail(v, "'\(key)' must be text") }
            return s
        }

        func strings(_ node: Node, _ key: String) throws -> [String] {
            guard let v = node[key] else { return [] }
            if let s = v.scalar?.string { return [s] }
            guard let items = v.sequence else { throw fail(v, "'\(key)' must be a list of key.path=value overrides") }
            return try items.map { item in
                guard let s = item.scalar?.string, s.contains("=") else { throw fail(item, "'\(key)' entries must read key.path=value") }
                return s
            }
        }

        func seed(_ node: Node) throws -> UInt64? {
            guard let v = node["seed"] else { return nil }
            guard let s = v.scalar?.string, let seed = UInt64(s) else { throw fail(v, "'seed' must be a whole number ≥ 0") }
            return seed
        }
    }
}
