import AtlasCore
import Encode
import Foundation
import Pipeline
import Plan
import Styles

/// Runs a batch: plans every job (cheap up-to-date checks), then renders the rest on a bounded pool
/// of workers, each render admitted by the memory budget. A failing input is reported and the others
/// go on. Every job writes only its own files, so the outputs do not depend on the order jobs run in.
public final class BatchRunner: @unchecked Sendable {
    /// Renders one input; `Renderer.render` outside tests.
    public typealias Render = @Sendable (RenderRequest) throws -> [RenderResult]

    public let options: BatchOptions
    let ledger: BatchLedger
    let checker: FreshnessCheck
    let render: Render
    /// The current run's parsed latents, handed to their renders.
    private var store: LatentStore?

    public init(options: BatchOptions, render: @escaping Render = { try Renderer.render($0) }) {
        self.options = options
        ledger = BatchLedger(output: options.output)
        checker = FreshnessCheck(ledger: ledger, options: options)
        self.render = render
    }

    /// Runs this shard's share of `jobs` and returns the summary (also sent as the last event).
    /// Input files are expanded into one job per latent first; the shard, the plan, the workers and
    /// the completion records all count latents.
    public func run(_ jobs: [BatchJob], observer: BatchObserver) -> BatchSummary {
        let start = DispatchTime.now().uptimeNanoseconds
        // Shards on other machines may be writing into the same folder: their temporary files stay.
        if options.shard.count == 1 { ledger.sweepLeftovers(onlyOfDeadProcesses: true) }
        let expander = LatentJobs(ledger: ledger, options: options, checker: checker, threads: max(1, min(options.workers, Parallel.allCores)))
        var parsed: [String: LatentJobs.Parsed] = [:]
        let files = jobs.filter { $0.latent == nil }
        var expansion = expander.expand(files, parsed: &parsed)
        // Jobs already naming a latent (a caller that expanded them) run as they are.
        expansion.jobs += jobs.filter { $0.latent != nil }
        let mine = options.shard.select(expansion.jobs)
        var outcomes: [FreshnessCheck.Outcome] = []
        var dead: [BatchJob] = []
        for job in mine {
            if expansion.dead[job.name] != nil { dead.append(job) } else { outcomes.append(checker.check(job, force: options.force)) }
        }
        var plans = outcomes.compactMap { if case let .stale(plan) = $0 { return plan } else { return nil } }

        // Hand the renders their latents, parsing (once) the files that were listed from their index.
        let store = LatentStore()
        let needed = Set(plans.compactMap { expansion.files[$0.job.name]?.name })
        let unparsed = files.filter { needed.contains($0.name) && parsed[$0.name] == nil }
        for (file, result) in zip(unparsed, expander.parseAll(unparsed)) {
            switch result {
            case let .success(p): parsed[file.name] = p
            case let .failure(error):
                expansion.failures.append(BatchLedger.Failure(job: file.name, input: file.input, reason: BatchRunner.sentence(error)))
                plans.removeAll { expansion.files[$0.job.name]?.name == file.name }
            }
        }
        for plan in plans {
            guard let file = expansion.files[plan.job.name], let latent = plan.job.latent, let p = parsed[file.name],
                  let l = p.latents[latent] else { continue }
            store.put(l, for: plan.job.name, inputHash: p.hash)
        }
        parsed = [:]

        var summary = BatchSummary()
        // No more workers than the memory budget can ever admit at once (the budget still decides each start).
        let largest = plans.map(\.memory).max() ?? 1
        summary.workers = max(1, min(options.workers, plans.count, Int(min(options.memoryLimit / largest, UInt64(Int.max)))))
        observer.handle(.planned(inputs: mine.count, toRender: plans.count, workers: summary.workers, shard: options.shard))
        var writers: [String: String] = [:]
        for job in dead {
            let reason = expansion.dead[job.name] ?? "dead"
            summary.passedOver.append(BatchSummary.PassedOver(latent: job.latent ?? job.name, input: job.input, reason: reason))
            observer.handle(.passedOver(input: job.input, latent: job.latent ?? job.name, reason: reason))
        }
        for outcome in outcomes {
            switch outcome {
            case let .upToDate(job, record):
                summary.skipped += record.latents.count
                for l in record.latents { writers[(try? OutputName.stem(for: l)) ?? l] = job.input }
                observer.handle(.skipped(input: job.input, latents: record.latents))
            case let .unusable(job, reason):
                let failure = BatchLedger.Failure(job: job.name, input: job.input, reason: reason)
                summary.failed.append(failure)
                record(failure)
                observer.handle(.failed(input: job.input, reason: reason))
            case .stale:
                break
            }
        }
        for failure in expansion.failures {
            summary.failed.append(failure)
            record(failure)
            observer.handle(.failed(input: failure.input, reason: failure.reason))
        }
        self.store = store

        let queue = JobQueue(plans: plans, summary: summary, writers: writers, failFast: options.failFast, observer: observer,
                             recordFailure: record)
        let budget = MemoryBudget(limit: options.memoryLimit)
        let threads = options.threadsPerRender ?? max(1, ProcessInfo.processInfo.activeProcessorCount / summary.workers)
        let group = DispatchGroup()
        for _ in 0..<(plans.isEmpty ? 0 : summary.workers) {
            group.enter()
            // Threads rather than `concurrentPerform`, which would cap `-j` at the core count.
            let worker = Thread { [self] in
                while let plan = queue.take() {
                    budget.acquire(plan.memory)
                    let result = Result { try render(plan, threads: threads, queue: queue) }
                    budget.release(plan.memory)
                    queue.finished(plan, result)
                }
                group.leave()
            }
            worker.stackSize = 16 << 20
            worker.start()
        }
        group.wait()

        let final = queue.close(seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        observer.handle(.finished(final))
        return final
    }

    /// Withdraws the job's completion and keeps the reason for `--merge`; failing to write the reason
    /// must not hide the failure itself.
    private func record(_ failure: BatchLedger.Failure) {
        let job = BatchJob(name: failure.job, input: failure.input)
        ledger.invalidate(job)
        try? ledger.fail(job, reason: failure.reason)
    }

    /// Renders one planned job and records its completion; returns its latents and seconds.
    func render(_ plan: FreshnessCheck.Plan, threads: Int, queue: JobQueue) throws -> (latents: [String], seconds: Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        ledger.invalidate(plan.job)
        var request = RenderRequest(input: plan.job.input, style: plan.style, overrides: plan.overrides, outputDirectory: options.output)
        request.title = plan.job.title
        request.threads = threads
        request.memoryBudget = plan.budget
        request.claim = { [queue] outputs in try queue.claim(outputs, by: plan.job.input) }
        request.painting = options.paintings.map(PaintingInput.folder)
        request.latent = plan.job.latent
        if let (latent, hash) = store?.take(plan.job.name) {
            request.latents = [latent]
            request.inputHash = hash
        }
        let results = try render(request)
        // With paintings the renderer knows the latents' paintings, which the plan could not before a first render.
        let fingerprint = options.paintings != nil ? results.first?.fingerprint ?? plan.fingerprint : plan.fingerprint
        let record = CompletionRecord(job: plan.job.name, fingerprint: fingerprint, inputHash: plan.inputHash,
                                      inputSize: plan.inputSize, inputModified: plan.inputModified, latents: results.map(\.latent),
                                      files: results.flatMap { $0.files.map { ($0 as NSString).lastPathComponent } },
                                      outputs: results.flatMap(\.digests))
        try ledger.complete(plan.job, with: record)
        return (record.latents, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// The error's one sentence (worded in one place, `FileError.sentence`).
    static func sentence(_ error: Error) -> String {
        FileError.sentence(error)
    }
}
