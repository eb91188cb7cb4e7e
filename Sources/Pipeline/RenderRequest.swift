import Styles

/// One `atlas render` invocation, after argument parsing.
public struct RenderRequest: Sendable {
    public var input: String
    public var style: Style
    /// The `--set` overrides already applied to `style`, kept for the manifest.
    public var overrides: [String]
    public var outputDirectory: String
    /// Renders only the latent with this name when the input holds several.
    public var latent: String?
    public var formats: [String]?
    /// Replaces the latent's own title (a batch manifest may give one per latent); part of the fingerprint.
    public var title: String?

    public init(input: String, style: Style, overrides: [String] = [], outputDirectory: String, latent: String? = nil) {
        self.input = input
        self.style = style
        self.overrides = overrides
        self.outputDirectory = outputDirectory
        self.latent = latent
    }
}

/// What one render wrote.
public struct RenderResult: Sendable {
    public var latent: String
    /// Paths of the written files (images, then the manifest).
    public var files: [String]
    public var manifestPath: String
    public var warnings: [String]
    public var width: Int
    public var height: Int
}
