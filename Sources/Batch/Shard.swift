/// A deterministic, balanced share of a batch: shard `index` of `count` (0-based, as Kubernetes'
/// `JOB_COMPLETION_INDEX` and a Slurm array `--array=0-(N-1)` count).
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public static let whole = Shard(uncheckedIndex: 0, count: 1)

    public init(index: Int, count: Int) throws {
        guard count >= 1 else { throw BatchError.invalidShard("\(index)/\(count)", reason: "needs at least one shard") }
        guard (0..<count).contains(index) else { throw BatchError.invalidShard("\(index)/\(count)", reason: "has K outside 0…\(count - 1)") }
        self.init(uncheckedIndex: index, count: count)
    }

    private init(uncheckedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `K/N`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw BatchError.invalidShard(text, reason: "is not two whole numbers K/N")
        }
        try self.init(index: k, count: n)
    }

    /// The shard a cluster scheduler assigned through the environment, if any: a Slurm job array
    /// (`SLURM_ARRAY_TASK_ID` counted from `SLURM_ARRAY_TASK_MIN`, of `SLURM_ARRAY_TASK_COUNT`) or a
    /// Kubernetes indexed Job (`JOB_COMPLETION_INDEX` of `ATLAS_SHARD_COUNT`, which the Job sets to
    /// its `completions`, since Kubernetes does not pass the count).
    public static func fromEnvironment(_ env: [String: String]) throws -> Shard? {
        if let id = env["SLURM_ARRAY_TASK_ID"], let count = env["SLURM_ARRAY_TASK_COUNT"] {
            let min = env["SLURM_ARRAY_TASK_MIN"].flatMap { Int($0) } ?? 0
            guard let k = Int(id), let n = Int(count) else {
                throw BatchError.invalidShard("\(id)/\(count)", reason: "from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT is not numeric")
            }
            return try Shard(index: k - min, count: n)
        }
        if let id = env["JOB_COMPLETION_INDEX"] {
            guard let count = env["ATLAS_SHARD_COUNT"] else { throw BatchError.shardCountMissing(index: id) }
            return try Shard(parsing: "\(id)/\(count)")
        }
        return nil
    }

    /// This shard's jobs: every `count`-th job of the list sorted by name, so shards differ in size by
    /// at most one and every job lands in exactly one shard, on every machine.
    public func select(_ jobs: [BatchJob]) -> [BatchJob] {
        jobs.sorted { $0.name < $1.name }.enumerated().filter { $0.offset % count == index }.map(\.element)
    }

    public var description: String { "\(index)/\(count)" }
}
