import Foundation

/// The shared state of a batch's workers: the next job to take, the summary so far, and whether
/// `--fail-fast` has stopped the batch. One lock serialises it and the observer's events.
final class WorkQueue: @unchecked Sendable {
    private let plans: [FreshnessCheck.Plan]
    private let lock = NSLock()
    private let observer: BatchObserver
    private let failFast: Bool
    private var next = 0
    private var stopped = false
    private(set) var summary: BatchSummary
    private let failureNote: (BatchLedger.Failure) -> Void

    init(plans: [FreshnessCheck.Plan], summary: BatchSummary, failFast: Bool, observer: BatchObserver,
         failureNote: @escaping (BatchLedger.Failure) -> Void) {
        self.plans = plans
        self.summary = summary
        self.failFast = failFast
        self.observer = observer
        self.failureNote = failureNote
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
            let failure = BatchLedger.Failure(job: plan.job.name, input: plan.job.input, reason: BatchRunner.sentence(error))
            summary.failed.append(failure)
            failureNote(failure)
            observer.handle(.failed(input: failure.input, reason: failure.reason))
            if failFast { stopped = true }
        }
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
