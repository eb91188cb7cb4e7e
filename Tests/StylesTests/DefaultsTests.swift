import Decode
import Foundation
import Layout
import Testing
@testable import Styles

/// `Styles/_base.yaml` is the one definition of every default. Code that offers a default of its
/// own (`LayoutSettings.standard`, `DecodeSettings.standard`, used by tests and benchmarks) must
/// say what the base style says, key for key; and a style that leaves a key out is an error in
/// every section alike, never a silent fallback to a value in code.
@Suite("One source of defaults")
struct DefaultsTests {
    static let basePath = (StyleLibrary.shippedDirectory ?? "Styles") + "/_base.yaml"

    static func base() throws -> Style.Settings {
        try StyleLibrary(directories: [StyleLibrary.shippedDirectory ?? "Styles"]).load("_base").settings
    }

    /// Every `.standard` settings value in code beside the section of the base style it stands for.
    /// A new one goes here.
    static let codeDefaults: [(section: String, code: any Encodable, base: @Sendable (Style.Settings) -> any Encodable)] = [
        ("layout", LayoutSettings.standard, { $0.layout }),
        ("decode", DecodeSettings.standard, { $0.decode }),
    ]

    /// A settings value as key → JSON text, whatever keys its type has.
    static func fields(_ value: any Encodable) throws -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let object = try JSONSerialization.jsonObject(with: try encoder.encode(value)) as? [String: Any] ?? [:]
        return try object.mapValues { v in
            String(decoding: try JSONSerialization.data(withJSONObject: v, options: [.fragmentsAllowed, .sortedKeys]), as: UTF8.self)
        }
    }

    static func snake(_ key: String) -> String {
        key.reduce(into: "") { out, c in out += c.isUppercase ? "_" + c.lowercased() : String(c) }
    }

    @Test(arguments: codeDefaults.indices)
    func codeDefaultsEqualTheBaseStyle(_ index: Int) throws {
        let entry = Self.codeDefaults[index]
        let code = try Self.fields(entry.code), base = try Self.fields(entry.base(try Self.base()))
        let differing = Set(code.keys).union(base.keys).sorted().filter { code[$0] != base[$0] }.map { key in
            "\(entry.section).\(Self.snake(key)): code says \(code[key] ?? "nothing"), _base.yaml says \(base[key] ?? "nothing")"
        }
        #expect(differing.isEmpty, "\(type(of: entry.code)).standard differs from \(Self.basePath): \(differing.joined(separator: "; "))")
    }

    /// Every key of the base style: the top-level ones and every key of every section.
    static func baseKeys() throws -> [[String]] {
        guard case let .mapping(top, _)? = try StyleNode.read(basePath) else { return [] }
        return top.flatMap { entry -> [[String]] in
            guard case let .mapping(keys, _) = entry.value else { return [[entry.key]] }
            return [[entry.key]] + keys.map { [entry.key, $0.key] }
        }
    }

    @Test func aMissingKeyIsAnErrorInEverySection() throws {
        let base = try #require(try StyleNode.read(Self.basePath))
        let keys = try Self.baseKeys()
        #expect(keys.count > 50, "read only \(keys.count) keys from \(Self.basePath)")
        for path in keys where path != ["extends"] {
            let without = path.count == 1 ? base.removing(path[0]) : base.setting([path[0]], to: base[path[0]]!.removing(path[1]))
            let name = path.joined(separator: ".")
            let check = {
                var error: StyleError?
                do {
                    _ = try StyleDecoder.decodeChecked(Style.Settings.self, from: without)
                } catch let e as StyleError {
                    error = e
                } catch {
                    Issue.record("a style without \(name) failed with \(error) rather than a StyleError")
                }
                guard case let .missingKey(_, reported)? = error else {
                    Issue.record("a style without \(name) gave \(error.map(String.init(describing:)) ?? "no error"); a missing key must be an error")
                    return
                }
                #expect(reported == name)
            }
            check()
        }
    }
}
