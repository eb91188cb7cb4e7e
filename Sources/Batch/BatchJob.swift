/// One unit of batch work: a latent of an input file and how to render it. Discovery finds input
/// files (`latent` nil); the runner expands each into one job per latent (`<file>#<latent>`), so a
/// bulk export of 1 024 features is 1 024 jobs for the workers, the progress, the shards and the
/// completion records.
public struct BatchJob: Sendable, Equatable {
    /// The input's path relative to the batch source: names the job in logs, shards and completion
    /// records the same way on every machine of a cluster, whatever the mount point.
    public var name: String
    /// Where to read the input.
    public var input: String
    /// Replaces the latent's own title.
    public var title: String?
    /// Style preset or file; `nil` takes the batch's default.
    public var style: String?
    /// `--set` overrides, applied after the batch's own.
    public var overrides: [String]
    public var seed: UInt64?
    /// The latent of `input` this job renders; nil for a whole input file (before expansion).
    public var latent: String?

    public init(name: String, input: String, title: String? = nil, style: String? = nil, overrides: [String] = [], seed: UInt64? = nil,
                latent: String? = nil) {
        self.latent = latent
        self.name = name
        self.input = input
        self.title = title
        self.style = style
        self.overrides = overrides
        self.seed = seed
    }
}
