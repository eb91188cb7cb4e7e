/// Decodes `Codable` settings from a merged style, strictly: every key must be known, every value
/// of the right type. Property names are camelCase in Swift and snake_case in YAML.
struct StyleDecoder {
    /// Keys each mapping was asked for, by dotted path: what is left over is unknown.
    final class Ledger {
        var requested: [String: Set<String>] = [:]
    }

    static func decode<T: Decodable>(_ type: T.Type, from node: StyleNode) throws -> T {
        let ledger = Ledger()
        let value: T
        do {
            value = try T(from: NodeDecoder(node: node, path: [], ledger: ledger))
        } catch let e as StyleError {
            throw e
        } catch let DecodingError.dataCorrupted(context) {
            // Raised by a type's own init(from:) (e.g. a colour that does not parse).
            let path = context.codingPath.map { snake($0.stringValue) }
            let at = node.node(at: path) ?? node
            throw StyleError.wrongType(at.origin, key: path.joined(separator: "."), expected: context.debugDescription.components(separatedBy: "; expected ").last ?? "a valid value", got: at.typeName)
        }
        try checkUnknownKeys(node, path: [], ledger: ledger)
        return value
    }

    /// Decodes strictly, then runs the value's range checks; the first violation becomes an error
    /// at the line where its key was written.
    static func decodeChecked<T: Decodable & SettingsChecked>(_ type: T.Type, from node: StyleNode) throws -> T {
        let value = try decode(type, from: node)
        var check = SettingsCheck()
        value.check(&check)
        if let v = check.violations.first {
            let at = node.node(at: v.key.split(separator: ".").map(String.init)) ?? node
            throw StyleError.outOfRange(at.origin, key: v.key, message: v.message)
        }
        return value
    }

    static func checkUnknownKeys(_ node: StyleNode, path: [String], ledger: Ledger) throws {
        guard case let .mapping(fields, _) = node else {
            if case let .sequence(items, _) = node {
                for (i, item) in items.enumerated() { try checkUnknownKeys(item, path: path + ["\(i)"], ledger: ledger) }
            }
            return
        }
        let key = path.joined(separator: ".")
        guard let known = ledger.requested[key] else { return }
        for (k, v) in fields {
            if !known.contains(k) {
                let full = (path + [k]).filter { Int($0) == nil }.joined(separator: ".")
                throw StyleError.unknownKey(v.origin, key: full, suggestion: Suggestion.nearest(to: k, in: Array(known)).map { (path.filter { Int($0) == nil } + [$0]).joined(separator: ".") })
            }
            try checkUnknownKeys(v, path: path + [k], ledger: ledger)
        }
    }

    /// `learningRate` → `learning_rate`.
    static func snake(_ s: String) -> String {
        var out = ""
        for c in s {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}

import AtlasCore

private struct NodeDecoder: Decoder {
    let node: StyleNode
    let path: [String]
    let ledger: StyleDecoder.Ledger
    var codingPath: [CodingKey] { path.map { AnyKey($0) } }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var dotted: String { path.filter { Int($0) == nil }.joined(separator: ".") }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case let .mapping(fields, _) = node else {
            throw StyleError.wrongType(node.origin, key: dotted.isEmpty ? "(top level)" : dotted, expected: "a mapping of keys", got: node.typeName)
        }
        ledger.requested[path.joined(separator: "."), default: []].formUnion([])
        return KeyedDecodingContainer(Keyed<Key>(decoder: self, fields: fields))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case let .sequence(items, _) = node else {
            throw StyleError.wrongType(node.origin, key: dotted, expected: "a list", got: node.typeName)
        }
        return Unkeyed(decoder: self, items: items)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { Single(decoder: self) }

    func child(_ n: StyleNode, _ key: String) -> NodeDecoder { NodeDecoder(node: n, path: path + [key], ledger: ledger) }

    func scalar<T>(_ expected: String, _ parse: (String) -> T?) throws -> T {
        guard case let .scalar(s, _) = node, let v = parse(s) else {
            throw StyleError.wrongType(node.origin, key: dotted, expected: expected, got: node.typeName)
        }
        return v
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is String.Type: return try scalar("text") { $0 } as! T
        case is Bool.Type: return try scalar("true or false") { ["true": true, "false": false, "yes": true, "no": false][$0.lowercased()] } as! T
        case is Double.Type: return try scalar("a number") { Double($0).flatMap { $0.isFinite ? $0 : nil } } as! T
        case is Float.Type: return try scalar("a number") { Float($0).flatMap { $0.isFinite ? $0 : nil } } as! T
        case is Int.Type: return try scalar("a whole number") { Int($0) } as! T
        case is UInt64.Type: return try scalar("a whole number ≥ 0") { UInt64($0) } as! T
        case is UInt32.Type: return try scalar("a whole number ≥ 0") { UInt32($0) } as! T
        default:
            // A choice (an enum of names): the allowed names and a did-you-mean, not Swift's own words.
            if let choice = type as? any (CaseIterable & RawRepresentable).Type {
                let allowed = choiceNames(choice)
                let value = try scalar("one of \(allowed.joined(separator: ", "))") { $0 }
                if !allowed.contains(value) {
                    throw StyleError.notAChoice(node.origin, key: dotted, value: value, allowed: allowed,
                                                suggestion: Suggestion.nearest(to: value, in: allowed))
                }
            }
            do {
                return try T(from: self)
            } catch let DecodingError.dataCorrupted(context) where context.codingPath.count <= path.count {
                let expected = context.debugDescription.components(separatedBy: "; expected ").last ?? "a valid value"
                throw StyleError.wrongType(node.origin, key: dotted, expected: expected, got: node.typeName)
            }
        }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: NodeDecoder
        let fields: [(key: String, value: StyleNode)]
        var codingPath: [CodingKey] { decoder.codingPath }
        var allKeys: [Key] { fields.compactMap { f in Key(stringValue: camel(f.key)) } }

        func yaml(_ key: Key) -> String {
            let name = StyleDecoder.snake(key.stringValue)
            decoder.ledger.requested[decoder.path.joined(separator: "."), default: []].insert(name)
            return name
        }

        func node(_ key: Key) -> StyleNode? { let k = yaml(key); return fields.first { $0.key == k }?.value }

        func contains(_ key: Key) -> Bool { node(key) != nil }

        func decodeNil(forKey key: Key) throws -> Bool {
            guard let n = node(key) else { return true }
            if case .null = n { return true }
            return false
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let name = yaml(key)
            guard let n = fields.first(where: { $0.key == name })?.value else {
                let full = (decoder.path.filter { Int($0) == nil } + [name]).joined(separator: ".")
                if case let .mapping(_, origin) = decoder.node { throw StyleError.missingKey(origin, key: full) }
                throw StyleError.missingKey(decoder.node.origin, key: full)
            }
            if case .null = n, !(T.self is ExpressibleByNilLiteral.Type) {
                let full = (decoder.path.filter { Int($0) == nil } + [name]).joined(separator: ".")
                throw StyleError.wrongType(n.origin, key: full, expected: "a value", got: "empty")
            }
            return try decoder.child(n, name).decodeValue(type)
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            let name = yaml(key)
            guard let n = fields.first(where: { $0.key == name })?.value else { return nil }
            if case .null = n { return nil }
            return try decoder.child(n, name).decodeValue(type)
        }

        func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) throws -> KeyedDecodingContainer<N> {
            let name = yaml(key)
            guard let n = fields.first(where: { $0.key == name })?.value else { throw StyleError.missingKey(decoder.node.origin, key: name) }
            return try decoder.child(n, name).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
            let name = yaml(key)
            guard let n = fields.first(where: { $0.key == name })?.value else { throw StyleError.missingKey(decoder.node.origin, key: name) }
            return try decoder.child(n, name).unkeyedContainer()
        }

        func superDecoder() throws -> Decoder { decoder }
        func superDecoder(forKey key: Key) throws -> Decoder { decoder }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let decoder: NodeDecoder
        let items: [StyleNode]
        var currentIndex = 0
        var codingPath: [CodingKey] { decoder.codingPath }
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }

        mutating func next() throws -> NodeDecoder {
            guard !isAtEnd else { throw StyleError.wrongType(decoder.node.origin, key: decoder.dotted, expected: "more list items", got: "\(items.count)") }
            defer { currentIndex += 1 }
            return decoder.child(items[currentIndex], String(currentIndex))
        }

        mutating func decodeNil() throws -> Bool {
            if !isAtEnd, case .null = items[currentIndex] { currentIndex += 1; return true }
            return false
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(type) }
        mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> { try next().container(keyedBy: type) }
        mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }
        mutating func superDecoder() throws -> Decoder { try next() }
    }

    struct Single: SingleValueDecodingContainer {
        let decoder: NodeDecoder
        var codingPath: [CodingKey] { decoder.codingPath }
        func decodeNil() -> Bool { if case .null = decoder.node { return true }; return false }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(type) }
    }
}

/// The names of a choice type's cases, in declaration order.
private func choiceNames<C: CaseIterable & RawRepresentable>(_: C.Type) -> [String] {
    C.allCases.map { "\($0.rawValue)" }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ s: String) { stringValue = s; intValue = Int(s) }
    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(String(intValue)) }
}

/// `learning_rate` → `learningRate`.
private func camel(_ s: String) -> String {
    let parts = s.split(separator: "_")
    guard let first = parts.first else { return s }
    return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
}
