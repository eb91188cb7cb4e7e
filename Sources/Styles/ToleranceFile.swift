import Compare
import Foundation
import Yams

/// A golden folder's own comparison settings (`tolerance.yaml`), read as strictly as a style:
/// unknown keys and bad values are errors naming the file and line.
public enum ToleranceFile {
    public static let fileName = "tolerance.yaml"

    public static func load(_ path: String) throws -> Tolerance {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw StyleError.invalidYAML(StyleOrigin(file: path), reason: "cannot read the file as UTF-8 text")
        }
        let yaml: Node?
        do {
            yaml = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            throw StyleError.invalidYAML(StyleOrigin(file: path, line: StyleLibrary.line(of: e)), reason: StyleLibrary.reason(of: e))
        }
        guard let yaml else { return .standard }
        let node = try StyleNode.from(yaml, file: path)
        let tolerance = try StyleDecoder.decode(Tolerance.self, from: node)
        var check = SettingsCheck()
        tolerance.check(&check)
        if let v = check.violations.first {
            throw StyleError.outOfRange((node.node(at: v.key.split(separator: ".").map(String.init)) ?? node).origin, key: v.key, message: v.message)
        }
        return tolerance
    }
}

import AtlasCore
