import Compare

/// A golden folder's own comparison settings (`tolerance.yaml`), read as strictly as a style:
/// unknown keys and bad values are errors naming the file and line.
public enum ToleranceFile {
    public static let fileName = "tolerance.yaml"

    public static func load(_ path: String) throws -> Tolerance {
        guard let node = try StyleNode.read(path) else { return .standard }
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
