import Compare

/// A golden folder's own comparison settings (`tolerance.yaml`), read as strictly as a style:
/// unknown keys and bad values are errors naming the file and line.
public enum ToleranceFile {
    public static let fileName = "tolerance.yaml"

    public static func load(_ path: String) throws -> Tolerance {
        guard let node = try StyleNode.read(path) else { return .standard }
        return try StyleDecoder.decodeChecked(Tolerance.self, from: node)
    }
}
