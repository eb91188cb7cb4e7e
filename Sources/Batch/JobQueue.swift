import Foundation

/// The batch's job queue, shared by its workers: the next job to take, the summary so far, which input
/// wrote each latent, and whether `--fail-fast` has stopped the batch. One lock serialises it and
/// the observer's events.
final class JobQueue: @unchecked Sendable {
    private let plans: [FreshnessCheck.Plan]
    private let lock = NSLock()
    private let observer: BatchObserver
    private let failFast: Bool
    private var next = 0
    private var stopped = false
    private(set) var summary: BatchSummary
    /// Output stem → the input that writes it: two inputs whose latents get the same output name would
    /// overwrite each other's files, so the second is refused before it renders.
    private var writers: [String: String]
    private let recordFailure: (BatchLedger.Failure) -> Void

    init(plans: [FreshnessCheck.Plan], summary: BatchSummary, writers: [String: String], failFast: Bool, observer: BatchObserver,
         recordFailure: @escaping (BatchLedger.Failure) -> Void) {
        self.plans = plans
        self.summary = summary
        self.writers = writers
        self.failFast = failFast
        self.observer = observer
        self.recordFailure = recordFailure
        stopped = failFast && !summary.failed.isEmpty
    }

    /// The next job, or `nil` when none is left or the batch stopped.
    func take() -> FreshnessCheck.Plan? {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped, next < plans.count else { return nil }
        next += 1
        return plans[next - 1]
    }

    func finished(_ plan: FreshnessCheck.Plan, _ result: Result<(latents: [String], seconds: Double), Error>) {
        lock.lock()
        defer { lock.unlock() }
        switch result {
        case let .success(done):
            summary.rendered += done.latents.count
            observer.handle(.rendered(input: plan.job.input, latents: done.latents, seconds: done.seconds))
        case let .failure(error):
            fail(plan, reason: BatchRunner.sentence(error))
        }
    }

    /// Claims a job's output stems once its input is read, before it draws anything; throws when
    /// another input already writes one of them.
    func claim(_ outputs: [(latent: String, stem: String)], by input: String) throws {
        lock.lock()
        defer { lock.unlock() }
        if let (latent, other) = outputs.lazy.compactMap({ o in self.writers[o.stem].map { (o.latent, $0) } }).first(where: { $0.1 != input }) {
            throw BatchError.sameOutputs(input: input, latent: latent, other: other)
        }
        for o in outputs { writers[o.stem] = input }
    }

    private func fail(_ plan: FreshnessCheck.Plan, reason: String) {
        let failure = BatchLedger.Failure(job: plan.job.name, input: plan.job.input, reason: reason)
        summary.failed.append(failure)
        recordFailure(failure)
        observer.handle(.failed(input: failure.input, reason: failure.reason))
        if failFast { stopped = true }
    }

    /// Closes the summary once every worker has returned.
    func close(seconds: Double) -> BatchSummary {
        lock.lock()
        defer { lock.unlock() }
        summary.failed.sort { $0.input < $1.input }
        summary.notStarted = plans.count - next
        summary.seconds = seconds
        return summary
    }
}
