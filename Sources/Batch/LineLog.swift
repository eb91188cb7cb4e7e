/// Plain logs for CI and pipes: one line per latent, then the summary table.
public final class LineLog: BatchObserver {
    let write: (String) -> Void

    /// `write` receives whole lines, each ending in a newline.
    public init(write: @escaping (String) -> Void) {
        self.write = write
    }

    public func handle(_ event: BatchEvent) {
        switch event {
        case let .planned(inputs, toRender, workers, shard):
            let share = shard.count > 1 ? "shard \(shard), " : ""
            write("batch: \(share)\(inputs) latent(s), \(toRender) to render on \(workers) worker(s)\n")
        case let .rendered(input, latents, seconds):
            let each = seconds / Double(max(1, latents.count))
            for l in latents { write("rendered \(l) (\(input), \(String(format: "%.2f", each)) s)\n") }
        case let .skipped(input, latents):
            for l in latents { write("skipped \(l) (\(input), up to date)\n") }
        case let .passedOver(input, latent, reason):
            write("passed over \(latent) (\(input)): \(reason)\n")
        case let .failed(input, reason):
            write("failed \(input): \(reason)\n")
        case let .finished(summary):
            write(summary.table)
        }
    }
}
