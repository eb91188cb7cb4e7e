import AtlasCore
import Foundation

/// `atlas batch --merge`: after every shard has finished, checks that each job of the whole batch is
/// up to date, gathers the failures the shards noted, and removes leftover temporary files.
public struct ShardMerge: Sendable, Equatable {
    public var inputs = 0
    public var latents = 0
    public var failed: [BatchLedger.Failure] = []
    /// Jobs no shard completed or reported: a shard that was killed or never ran.
    public var missing: [String] = []
    public var removedLeftovers = 0

    public var succeeded: Bool { failed.isEmpty && missing.isEmpty }

    public static func merge(_ jobs: [BatchJob], options: BatchOptions) -> ShardMerge {
        let ledger = BatchLedger(output: options.output)
        let checker = FreshnessCheck(ledger: ledger, options: options)
        var merge = ShardMerge(inputs: jobs.count)
        // Per latent, as the shards rendered them; an unchanged input is listed from its index, not parsed.
        var parsed: [String: LatentJobs.Parsed] = [:]
        let expansion = LatentJobs(ledger: ledger, options: options, checker: checker, threads: max(1, min(options.workers, Parallel.allCores)))
            .expand(jobs.filter { $0.latent == nil }, parsed: &parsed)
        parsed = [:]
        merge.failed += expansion.failures
        var missing = Set<String>()
        for job in expansion.jobs + jobs.filter({ $0.latent != nil }) {
            if expansion.dead[job.name] != nil { merge.latents += 1; continue }
            switch checker.check(job, force: false) {
            case let .upToDate(_, record):
                merge.latents += record.latents.count
            case let .unusable(job, reason):
                merge.failed.append(BatchLedger.Failure(job: job.name, input: job.input, reason: reason))
            case .stale:
                if let failure = ledger.failure(of: job) { merge.failed.append(failure) } else { missing.insert(job.input) }
            }
        }
        merge.missing = missing.sorted()
        merge.removedLeftovers = ledger.sweepLeftovers(onlyOfDeadProcesses: false)
        return merge
    }

    /// The merge's table: complete, failed and missing inputs, then one line per problem.
    public var table: String {
        let complete = inputs - failed.count - missing.count
        var lines = ["complete     \(complete) of \(inputs) input(s), \(latents) latent(s)",
                     "failed       \(failed.count)",
                     "missing      \(missing.count)"]
        lines += failed.map { "failed: \($0.input): \($0.reason)" }
        lines += missing.map { "missing: \($0) (not rendered by any shard; run its shard again)" }
        if removedLeftovers > 0 { lines.append("removed \(removedLeftovers) temporary file(s) left by killed renders") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// For `--json`: a line per failed and per missing input, then the totals.
    public var jsonLines: [String] {
        failed.map { BatchEvent.object([("event", "failed"), ("input", $0.input), ("reason", $0.reason)]) }
            + missing.map { BatchEvent.object([("event", "missing"), ("input", $0)]) }
            + [BatchEvent.object([("event", "merged"), ("inputs", inputs), ("latents", latents), ("failed", failed.count),
                                  ("missing", missing.count)])]
    }
}
