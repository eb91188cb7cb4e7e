import Foundation

/// Progress on a terminal: one line redrawn in place with a bar, the count of inputs done, the rate
/// and the time left. Failures are printed above it as they happen; the summary table replaces it.
public final class ProgressBar: BatchObserver {
    let draw: (String) -> Void
    let write: (String) -> Void
    let width: Int
    let clock: () -> Double
    private var total = 0
    /// Inputs finished in any way, and those that needed work (their time drives the estimate).
    private var done = 0
    private var worked = 0
    private var latents = 0
    private var start = 0.0
    private var last = ""

    /// `draw` receives terminal output for the bar (stderr); `write` the lines that stay (stdout).
    public init(width: Int = 28, clock: @escaping () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 },
                draw: @escaping (String) -> Void, write: @escaping (String) -> Void) {
        self.width = width
        self.clock = clock
        self.draw = draw
        self.write = write
    }

    public func handle(_ event: BatchEvent) {
        switch event {
        case let .planned(inputs, toRender, workers, shard):
            total = inputs
            start = clock()
            let share = shard.count > 1 ? "shard \(shard), " : ""
            write("batch: \(share)\(inputs) latent(s), \(toRender) to render on \(workers) worker(s)\n")
        case let .rendered(_, names, _):
            done += 1
            worked += 1
            latents += names.count
            // Kept short so the line never wraps, which would break redrawing it in place.
            last = String((names.last ?? "").prefix(32))
        case .skipped:
            done += 1
        case let .passedOver(input, latent, reason):
            draw("\u{1b}[2K\r")
            write("passed over \(latent) (\(input)): \(reason)\n")
            done += 1
        case let .failed(input, reason):
            draw("\u{1b}[2K\r")
            write("failed \(input): \(reason)\n")
            done += 1
            worked += 1
        case let .finished(summary):
            draw("\u{1b}[2K\r")
            write(summary.table)
            return
        }
        if total > 0 { draw("\u{1b}[2K\r" + line(now: clock())) }
    }

    /// `[#######·······]  37/100  12.4 posters/min  ETA 5 min 3 s  sea-light`
    func line(now: Double) -> String {
        let elapsed = max(now - start, 1e-9)
        let filled = total == 0 ? width : width * done / total
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "·", count: width - filled) + "]"
        let rate = String(format: "%.1f posters/min", Double(latents) / elapsed * 60)
        let eta = worked == 0 ? "ETA --" : "ETA " + BatchSummary.duration(elapsed / Double(worked) * Double(total - done))
        return "\(bar) \(done)/\(total)  \(rate)  \(eta)  \(last)"
    }
}
