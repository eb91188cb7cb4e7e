/// The tool's version, written into every render's provenance and manifest.
public enum ToolVersion {
    public static let current = "0.1.0"
    public static let name = "LatentAtlas"
}
