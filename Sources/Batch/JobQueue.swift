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
    /// Latent name → the input that wrote it: two inputs naming the same latent would overwrite each
    /// other's files, which must not pass silently.
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
            if let (latent, other) = done.latents.lazy.compactMap({ l in self.writers[l].map { (l, $0) } }).first(where: { $0.1 != plan.job.input }) {
                fail(plan, reason: "\(plan.job.input) renders latent '\(latent)', as \(other) does, and their files overwrite each other; "
                    + "give one a different name in its header or file name.")
                return
            }
            for l in done.latents { writers[l] = plan.job.input }
            summary.rendered += done.latents.count
            observer.handle(.rendered(input: plan.job.input, latents: done.latents, seconds: done.seconds))
        case let .failure(error):
            fail(plan, reason: BatchRunner.sentence(error))
        }
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
