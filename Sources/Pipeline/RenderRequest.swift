import Contexts
import Encode
import Plan
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
    /// Memory the render may use, in bytes (default: the style's `output.memory_budget_mb`); a render
    /// that cannot fit is refused before anything is read.
    public var memoryBudget: UInt64?
    /// Called with every latent's name and output stem once the input is read, before anything is
    /// drawn: `atlas batch` refuses stems another input already writes.
    public var claim: (@Sendable (_ outputs: [(latent: String, stem: String)]) throws -> Void)?
    /// Replaces the latent's own title (a batch manifest may give one per latent); part of the fingerprint.
    public var title: String?
    /// Write each latent's region plan into `<exportPlan>/<latent>/` instead of rendering.
    public var exportPlan: String?
    /// Composite these outside paintings in place of the built-in decoder; their hash joins the fingerprint.
    public var painting: PaintingInput?
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
    /// Size and hash of every file in `files`, the manifest last.
    public var digests: [Manifest.OutputFile]
    public var warnings: [String]
    public var width: Int
    public var height: Int
    /// The fingerprint the manifest records (the plan's, for a plan export).
    public var fingerprint: String = ""
    /// The input format the latent was read from ("Neuronpedia feature JSON").
    public var format: String = ""
}
