import Foundation
import Styles

/// How to run a batch, after argument parsing. The style, overrides and seed are the batch-wide
/// defaults; a batch manifest's `defaults:` and entries are more specific and win.
public struct BatchOptions: Sendable {
    public var output: String
    public var style: String
    public var overrides: [String]
    public var seed: UInt64?
    /// Renders at the same time, at most; the memory budget may allow fewer.
    public var workers: Int
    public var memoryLimit: UInt64
    /// Threads each render may use; `nil` shares the cores among the workers. Output bytes do not
    /// depend on it, so renders parallelise across inputs first.
    public var threadsPerRender: Int?
    public var force: Bool
    public var failFast: Bool
    public var shard: Shard
    public var styles: StyleLibrary
    /// A folder of outside paintings (`<latent>.png` or `<latent>/painting.png`) composited in place of the built-in decoder.
    public var paintings: String?

    public init(output: String, style: String = "poster", overrides: [String] = [], seed: UInt64? = nil,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount, memoryLimit: UInt64 = MemoryBudget.available(),
                threadsPerRender: Int? = nil, force: Bool = false, failFast: Bool = false, shard: Shard = .whole,
                styles: StyleLibrary = .standard()) {
        self.output = output
        self.style = style
        self.overrides = overrides
        self.seed = seed
        self.workers = workers
        self.memoryLimit = memoryLimit
        self.threadsPerRender = threadsPerRender
        self.force = force
        self.failFast = failFast
        self.shard = shard
        self.styles = styles
    }

    /// The style reference and overrides a job renders with: the job's own settings after the batch's.
    func styleRequest(for job: BatchJob) -> (style: String, overrides: [String]) {
        let seed = (job.seed ?? seed).map { ["seed=\($0)"] } ?? []
        return (job.style ?? style, overrides + job.overrides + seed)
    }
}
