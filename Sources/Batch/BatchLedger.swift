import AtlasCore
import Foundation

/// The batch's own state beside the renders, in `<output>/.atlas-batch/`: a completion record per
/// finished job (`done/`) and the reason per failed one (`failed/`). One file per job, so shards
/// writing to the same shared folder never touch the same file.
public struct BatchLedger: Sendable {
    public static let folderName = ".atlas-batch"
    public let output: String

    public init(output: String) {
        self.output = output
    }

    var folder: String { (output as NSString).appendingPathComponent(Self.folderName) }

    /// A file name for a job that is safe and unique whatever its path.
    static func key(_ job: BatchJob) -> String { StableHash.hex(StableHash.of(job.name)) + ".json" }

    func donePath(_ job: BatchJob) -> String { folder + "/done/" + Self.key(job) }
    func failedPath(_ job: BatchJob) -> String { folder + "/failed/" + Self.key(job) }

    public func record(for job: BatchJob) -> CompletionRecord? { CompletionRecord.read(donePath(job)) }

    /// Marks a job complete; it is written after every file of the job, so it is the last word.
    public func complete(_ job: BatchJob, with record: CompletionRecord) throws {
        try AtomicFile.write(try record.jsonData(), to: donePath(job))
        unlink(failedPath(job))
    }

    /// Forgets a completion (before re-rendering), so a run killed mid-render never leaves a record
    /// that vouches for files it was replacing.
    public func invalidate(_ job: BatchJob) {
        unlink(donePath(job))
    }

    public func fail(_ job: BatchJob, reason: String) throws {
        let note = Failure(job: job.name, input: job.input, reason: reason)
        try AtomicFile.write(try JSONEncoder().encode(note), to: failedPath(job))
    }

    /// Why the job last failed, if its last run failed.
    public func failure(of job: BatchJob) -> Failure? {
        guard let data = FileManager.default.contents(atPath: failedPath(job)) else { return nil }
        return try? JSONDecoder().decode(Failure.self, from: data)
    }

    /// Removes temporary files killed writers left in the output folder and the ledger's own folders.
    @discardableResult
    public func sweepLeftovers(onlyOfDeadProcesses: Bool) -> Int {
        [output, folder + "/done", folder + "/failed", folder + "/inputs"].reduce(0) { $0 + LeftoverFiles.sweep($1, onlyOfDeadProcesses: onlyOfDeadProcesses) }
    }

    func indexPath(_ job: BatchJob) -> String { folder + "/inputs/" + Self.key(job) }

    /// What an input file held when last read (its latents, which were dead), so an unchanged file
    /// is not parsed again to find its latents.
    public func inputIndex(for job: BatchJob) -> InputIndex? {
        guard let data = FileManager.default.contents(atPath: indexPath(job)) else { return nil }
        return try? JSONDecoder().decode(InputIndex.self, from: data)
    }

    public func writeIndex(_ index: InputIndex, for job: BatchJob) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try e.encode(index), to: indexPath(job))
    }

    public struct InputIndex: Codable, Sendable, Equatable {
        public var input: String
        public var size: UInt64
        public var modified: Double
        public var hash: String
        /// The input settings it was read with (bins and first-token zeroing change what is dead).
        public var settings: String
        public var latents: [String]
        /// Dead latent → why.
        public var dead: [String: String]
    }

    public struct Failure: Codable, Sendable, Equatable {
        public var job: String
        public var input: String
        public var reason: String
    }
}
