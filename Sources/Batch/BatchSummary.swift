import Foundation

/// The outcome of a batch: what was rendered, skipped and failed, and how long it took.
public struct BatchSummary: Sendable, Equatable {
    public var rendered = 0
    public var skipped = 0
    public var failed: [BatchLedger.Failure] = []
    /// Latents left out on purpose (dead features), with why.
    public var passedOver: [PassedOver] = []
    /// Inputs never started because `--fail-fast` stopped the batch.
    public var notStarted = 0
    public var seconds = 0.0
    public var workers = 1

    public init() {}

    public struct PassedOver: Sendable, Equatable {
        public var latent: String
        public var input: String
        public var reason: String
    }

    public var succeeded: Bool { failed.isEmpty && notStarted == 0 }

    /// Latents rendered per minute of wall time.
    public var perMinute: Double { seconds > 0 ? Double(rendered) / seconds * 60 : 0 }

    /// The end-of-run table, then one line per failure naming its input and reason.
    public var table: String {
        var counts = [("rendered", rendered), ("skipped", skipped), ("failed", failed.count)]
        if !passedOver.isEmpty { counts.append(("passed over", passedOver.count)) }
        if notStarted > 0 { counts.append(("not started", notStarted)) }
        let width = counts.map { String($0.1).count }.max() ?? 1
        var lines = counts.map { label($0.0) + String(repeating: " ", count: width - String($0.1).count) + String($0.1) }
        let rate = rendered > 0 ? String(format: " (%.1f posters/min, %d worker(s))", perMinute, workers) : ""
        lines.append(label("time") + Self.duration(seconds) + rate)
        lines += failed.map { "failed: \($0.input): \($0.reason)" }
        lines += passedOver.map { "passed over: \($0.latent) (\($0.input)): \($0.reason)" }
        return lines.joined(separator: "\n") + "\n"
    }

    func label(_ s: String) -> String { s.padding(toLength: 13, withPad: " ", startingAt: 0) }

    static func duration(_ s: Double) -> String {
        if s < 60 { return String(format: "%.1f s", s) }
        let whole = Int(s.rounded())
        return whole < 3600 ? "\(whole / 60) min \(whole % 60) s" : "\(whole / 3600) h \(whole % 3600 / 60) min"
    }
}
