import AtlasCore
import Foundation
import Yams

/// Finds, merges and validates styles.
public struct StyleLibrary: Sendable {
    /// Folders searched for `<name>.yaml`, in order.
    public var directories: [String]

    public init(directories: [String]) {
        self.directories = directories
    }

    /// `$ATLAS_STYLES` (folders separated by `:`), then `./Styles`, then the presets that came with
    /// the binary (`shippedDirectory`). `--styles-dir` goes in front of these.
    public static func standard() -> StyleLibrary {
        var dirs: [String] = []
        if let env = ProcessInfo.processInfo.environment["ATLAS_STYLES"], !env.isEmpty {
            dirs += env.split(separator: ":").map(String.init)
        }
        dirs.append(FileManager.default.currentDirectoryPath + "/Styles")
        if let shipped = shippedDirectory { dirs.append(shipped) }
        var seen = Set<String>()
        return StyleLibrary(directories: dirs.filter { seen.insert(URL(fileURLWithPath: $0).standardized.path).inserted })
    }

    /// The presets installed with the binary, found from the executable (see `Resources`): the
    /// checkout's `Styles/` for a binary in its build folder, `share/latentatlas/Styles` once installed.
    public static let shippedDirectory: String? = Resources.path("Styles")

    /// Every preset name with its description, sorted by name. Presets starting with `_` are building blocks.
    public func presets() -> [(name: String, description: String)] {
        var seen = Set<String>()
        var out: [(String, String)] = []
        for dir in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for f in files.sorted() where f.hasSuffix(".yaml") && !f.hasPrefix("_") {
                let name = String(f.dropLast(5))
                guard seen.insert(name).inserted else { continue }
                let description = (try? load(name).description) ?? "(invalid: run 'atlas styles --check')"
                out.append((name, description))
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// Loads a preset by name (or a `.yaml` path), applies `--set` overrides, and validates it.
    public func load(_ reference: String, overrides: [String] = []) throws -> Style {
        var chain: [String] = []
        var node = try resolve(reference, from: nil, chain: &chain)
        for text in overrides {
            node = try Self.apply(override: text, to: node)
        }
        let settings = try StyleDecoder.decodeChecked(Style.Settings.self, from: node)
        let name = reference.hasSuffix(".yaml") ? String(((reference as NSString).lastPathComponent).dropLast(5)) : reference
        return Style(name: name, files: chain, hash: StableHash.hex(StableHash.of(Self.canonical(node))), settings: settings)
    }

    /// Reads one file and everything it extends, merged (the extending file wins).
    func resolve(_ reference: String, from: String?, chain: inout [String]) throws -> StyleNode {
        let path = try locate(reference, near: from)
        if chain.contains(path) { throw StyleError.extendsCycle(chain + [path]) }
        chain.insert(path, at: 0)
        guard let node = try StyleNode.read(path) else {
            throw StyleError.invalidYAML(StyleOrigin(file: path, line: 1), reason: "the file is empty")
        }
        guard case .mapping = node else { throw StyleError.invalidYAML(node.origin, reason: "a style must be a mapping of sections") }
        guard let parent = node["extends"] else { return node }
        guard case let .scalar(parentName, _) = parent else {
            throw StyleError.wrongType(parent.origin, key: "extends", expected: "the name of another style", got: parent.typeName)
        }
        let base = try resolve(parentName, from: path, chain: &chain)
        return base.merged(with: node.removing("extends"))
    }

    func locate(_ reference: String, near: String?) throws -> String {
        if reference.hasSuffix(".yaml") || reference.contains("/") {
            guard FileManager.default.fileExists(atPath: reference) else {
                throw StyleError.notFound(name: reference, searched: [reference], suggestion: nil)
            }
            return URL(fileURLWithPath: reference).standardized.path
        }
        let dirs = (near.map { [($0 as NSString).deletingLastPathComponent] } ?? []) + directories
        for d in dirs {
            let p = (d as NSString).appendingPathComponent(reference + ".yaml")
            if FileManager.default.fileExists(atPath: p) { return URL(fileURLWithPath: p).standardized.path }
        }
        let known = dirs.flatMap { (try? FileManager.default.contentsOfDirectory(atPath: $0)) ?? [] }
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
        throw StyleError.notFound(name: reference, searched: dirs, suggestion: Suggestion.nearest(to: reference, in: known))
    }

    /// Applies one `key.path=value` override; the value is read as YAML (so lists and numbers work).
    static func apply(override text: String, to node: StyleNode) throws -> StyleNode {
        guard let eq = text.firstIndex(of: "=") else { throw StyleError.badOverride(text, reason: "has no '='") }
        let path = text[..<eq].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.isEmpty, path.allSatisfy({ !$0.isEmpty }) else { throw StyleError.badOverride(text, reason: "has an empty key") }
        let origin = StyleOrigin(file: "--set \(text)")
        let valueText = String(text[text.index(after: eq)...])
        let value: StyleNode
        do {
            // A value YAML would read as a comment (a colour such as #00ff00) is meant as text.
            if valueText.hasPrefix("#") {
                value = .scalar(valueText, origin)
            } else if let n = try Yams.compose(yaml: valueText) {
                value = try relabel(StyleNode.from(n, file: origin.file), origin)
            } else {
                value = .null(origin)
            }
        } catch {
            throw StyleError.badOverride(text, reason: "has a value that is not valid YAML")
        }
        return node.setting(path, to: value)
    }

    static func relabel(_ n: StyleNode, _ o: StyleOrigin) -> StyleNode {
        switch n {
        case let .scalar(s, _): return .scalar(s, o)
        case .null: return .null(o)
        case let .sequence(items, _): return .sequence(items.map { relabel($0, o) }, o)
        case let .mapping(fields, _): return .mapping(fields.map { ($0.key, relabel($0.value, o)) }, o)
        }
    }

    /// A stable text form of a merged style (keys sorted) for hashing.
    static func canonical(_ n: StyleNode) -> String {
        switch n {
        case let .scalar(s, _): return "\"\(s)\""
        case .null: return "null"
        case let .sequence(items, _): return "[" + items.map(canonical).joined(separator: ",") + "]"
        case let .mapping(fields, _):
            return "{" + fields.sorted { $0.key < $1.key }.map { "\($0.key):\(canonical($0.value))" }.joined(separator: ",") + "}"
        }
    }

    static func line(of e: YamlError) -> Int? {
        switch e {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): return mark.line
        default: return nil
        }
    }

    static func reason(of e: YamlError) -> String {
        switch e {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _): return problem
        default: return "\(e)"
        }
    }
}
