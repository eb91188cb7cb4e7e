import Contexts
import Encode
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
    /// Formats to write instead of the style's `output.formats`.
    public var formats: [OutputFormat]?
    /// Write each layer alone too (instead of the style's `output.layer_files`).
    public var layerFiles: Bool?
    /// Write every N-th decoding step (decoded) as `<latent>.step-NNN.png`; nil or 0 writes none.
    public var saveSteps: Int?
    /// Threads for every stage (default: all cores). Output bytes do not depend on it.
    public var threads: Int?
    /// Replaces the latent's own title (a batch manifest may give one per latent); part of the fingerprint.
    public var title: String?
    /// The input's latents when already read (a batch reads each input once), and the input's hash.
    public var latents: [Latent]?
    public var inputHash: String?

    public init(input: String, style: Style, overrides: [String] = [], outputDirectory: String, latent: String? = nil,
                formats: [OutputFormat]? = nil, layerFiles: Bool? = nil, saveSteps: Int? = nil, threads: Int? = nil) {
        self.threads = threads
        self.saveSteps = saveSteps
        self.formats = formats
        self.layerFiles = layerFiles
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
    /// The input format the latent was read from ("Neuronpedia feature JSON").
    public var format: String = ""
}
