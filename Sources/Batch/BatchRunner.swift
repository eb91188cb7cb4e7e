import Foundation
import Pipeline
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

    public init(options: BatchOptions, render: @escaping Render = { try Renderer.render($0) }) {
        self.options = options
        ledger = BatchLedger(output: options.output)
        checker = FreshnessCheck(ledger: ledger, options: options)
        self.render = render
    }

    /// Runs this shard's share of `jobs` and returns the summary (also sent as the last event).
    public func run(_ jobs: [BatchJob], observer: BatchObserver) -> BatchSummary {
        let start = DispatchTime.now().uptimeNanoseconds
        // Shards on other machines may be writing into the same folder: their temporary files stay.
        if options.shard.count == 1 { ledger.sweepLeftovers(onlyOfDeadProcesses: true) }
        let mine = options.shard.select(jobs)
        let outcomes = mine.map { checker.check($0, force: options.force) }
        let plans = outcomes.compactMap { if case let .stale(plan) = $0 { return plan } else { return nil } }

        var summary = BatchSummary()
        // No more workers than the memory budget can ever admit at once (the budget still decides each start).
        let largest = plans.map(\.memory).max() ?? 1
        summary.workers = max(1, min(options.workers, plans.count, Int(min(options.memoryLimit / largest, UInt64(Int.max)))))
        observer.handle(.planned(inputs: mine.count, toRender: plans.count, workers: summary.workers, shard: options.shard))
        var writers: [String: String] = [:]
        for outcome in outcomes {
            switch outcome {
            case let .upToDate(job, record):
                summary.skipped += record.latents.count
                for l in record.latents { writers[l] = job.input }
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
                    let result = Result { try render(plan, threads: threads) }
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
    func render(_ plan: FreshnessCheck.Plan, threads: Int) throws -> (latents: [String], seconds: Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        ledger.invalidate(plan.job)
        var request = RenderRequest(input: plan.job.input, style: plan.style, overrides: plan.overrides, outputDirectory: options.output)
        request.title = plan.job.title
        request.threads = threads
        let results = try render(request)
        let record = CompletionRecord(job: plan.job.name, fingerprint: plan.fingerprint, inputHash: plan.inputHash,
                                      inputSize: plan.inputSize, inputModified: plan.inputModified, latents: results.map(\.latent),
                                      files: results.flatMap { $0.files.map { ($0 as NSString).lastPathComponent } })
        try ledger.complete(plan.job, with: record)
        return (record.latents, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// Our errors describe themselves in one sentence; Foundation's file errors carry a localized description.
    static func sentence(_ error: Error) -> String {
        (error as? CocoaError)?.localizedDescription ?? String(describing: error)
    }
}
