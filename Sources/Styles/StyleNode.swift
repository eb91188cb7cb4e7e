import Foundation
import Yams

/// Where a style value was written: a file and line, or a `--set` override.
public struct StyleOrigin: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?

    public var description: String { line.map { "\(file):\($0)" } ?? file }
}

/// A style document after `extends:` and `--set` have been merged, every value remembering its origin.
indirect enum StyleNode {
    case scalar(String, StyleOrigin)
    case null(StyleOrigin)
    case sequence([StyleNode], StyleOrigin)
    case mapping([(key: String, value: StyleNode)], StyleOrigin)

    var origin: StyleOrigin {
        switch self {
        case let .scalar(_, o), let .null(o), let .sequence(_, o), let .mapping(_, o): return o
        }
    }

    var typeName: String {
        switch self {
        case let .scalar(s, _): return "'\(s)'"
        case .null: return "empty"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    subscript(key: String) -> StyleNode? {
        if case let .mapping(fields, _) = self { return fields.first { $0.key == key }?.value }
        return nil
    }

    /// Reads a YAML file; nil when it holds no document.
    static func read(_ path: String) throws -> StyleNode? {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw StyleError.invalidYAML(StyleOrigin(file: path), reason: "cannot read the file as UTF-8 text")
        }
        do {
            return try Yams.compose(yaml: text).map { try from($0, file: path) }
        } catch let e as YamlError {
            throw StyleError.invalidYAML(StyleOrigin(file: path, line: StyleLibrary.line(of: e)), reason: StyleLibrary.reason(of: e))
        }
    }

    /// Converts a Yams node, rejecting duplicate keys (YAML allows them silently; a style must not).
    static func from(_ node: Node, file: String) throws -> StyleNode {
        let origin = StyleOrigin(file: file, line: node.mark.map { $0.line })
        switch node {
        case let .scalar(s):
            if s.style == .plain, ["", "~", "null", "Null", "NULL"].contains(s.string) { return .null(origin) }
            return .scalar(s.string, origin)
        case let .sequence(seq):
            return .sequence(try seq.map { try from($0, file: file) }, origin)
        case let .mapping(map):
            var fields: [(key: String, value: StyleNode)] = []
            for (k, v) in map {
                guard case let .scalar(key) = k else {
                    throw StyleError.invalidYAML(StyleOrigin(file: file, line: k.mark.map { $0.line }), reason: "mapping keys must be plain names")
                }
                if fields.contains(where: { $0.key == key.string }) {
                    throw StyleError.invalidYAML(StyleOrigin(file: file, line: k.mark.map { $0.line }), reason: "key '\(key.string)' appears twice")
                }
                fields.append((key.string, try from(v, file: file)))
            }
            return .mapping(fields, origin)
        }
    }

    /// Deep merge: mappings merge key by key, anything else in `over` replaces what is here.
    func merged(with over: StyleNode) -> StyleNode {
        guard case let .mapping(base, o) = self, case let .mapping(top, _) = over else { return over }
        var fields = base
        for (k, v) in top {
            if let i = fields.firstIndex(where: { $0.key == k }) {
                fields[i].value = fields[i].value.merged(with: v)
            } else {
                fields.append((k, v))
            }
        }
        return .mapping(fields, o)
    }

    /// Sets the value at a dotted path, creating mappings on the way.
    func setting(_ path: [String], to value: StyleNode) -> StyleNode {
        guard let first = path.first else { return value }
        var fields: [(key: String, value: StyleNode)] = []
        var origin = value.origin
        if case let .mapping(f, o) = self { fields = f; origin = o }
        if let i = fields.firstIndex(where: { $0.key == first }) {
            fields[i].value = fields[i].value.setting(Array(path.dropFirst()), to: value)
        } else {
            fields.append((first, StyleNode.mapping([], value.origin).setting(Array(path.dropFirst()), to: value)))
        }
        return .mapping(fields, origin)
    }

    func removing(_ key: String) -> StyleNode {
        guard case let .mapping(f, o) = self else { return self }
        return .mapping(f.filter { $0.key != key }, o)
    }

    /// The node at a dotted path.
    func node(at path: [String]) -> StyleNode? {
        guard let first = path.first else { return self }
        return self[first]?.node(at: Array(path.dropFirst()))
    }
}
