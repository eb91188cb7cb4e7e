/// `--json`: one JSON object per line, nothing else.
public final class JSONLog: BatchObserver {
    let write: (String) -> Void

    public init(write: @escaping (String) -> Void) {
        self.write = write
    }

    public func handle(_ event: BatchEvent) {
        for line in event.jsonLines { write(line + "\n") }
    }
}
