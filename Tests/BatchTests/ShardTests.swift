import Batch
import Testing

@Suite("Shards")
struct ShardTests {
    static let jobs = (0..<53).map { BatchJob(name: "sae/latent-\($0).jsonl", input: "/data/sae/latent-\($0).jsonl") }

    @Test(arguments: 1...7)
    func shardsCoverEveryJobExactlyOnce(count: Int) throws {
        let shards = try (0..<count).map { try Shard(index: $0, count: count).select(Self.jobs.shuffled()) }
        let all = shards.flatMap { $0.map(\.name) }
        #expect(all.count == Self.jobs.count)
        #expect(Set(all) == Set(Self.jobs.map(\.name)))
        let sizes = shards.map(\.count)
        #expect(sizes.max()! - sizes.min()! <= 1)
        // Deterministic whatever order the jobs were found in.
        #expect(try Shard(index: count - 1, count: count).select(Self.jobs) == Shard(index: count - 1, count: count).select(Self.jobs.reversed()))
    }

    @Test func parsingAndErrors() throws {
        #expect(try Shard(parsing: "2/5") == Shard(index: 2, count: 5))
        #expect(throws: BatchError.invalidShard("5/5", reason: "has K outside 0…4")) { try Shard(parsing: "5/5") }
        #expect(throws: BatchError.self) { try Shard(parsing: "1-4") }
        #expect(throws: BatchError.self) { try Shard(parsing: "0/0") }
    }

    @Test func schedulersSetTheShardThroughTheEnvironment() throws {
        #expect(try Shard.fromEnvironment([:]) == nil)
        #expect(try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "8"]) == Shard(index: 3, count: 8))
        // `--array=1-8` counts from 1.
        #expect(try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "8", "SLURM_ARRAY_TASK_COUNT": "8", "SLURM_ARRAY_TASK_MIN": "1"]) == Shard(index: 7, count: 8))
        #expect(try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "0", "ATLAS_SHARD_COUNT": "4"]) == Shard(index: 0, count: 4))
        #expect(throws: BatchError.shardCountMissing(index: "2")) { try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "2"]) }
    }
}
