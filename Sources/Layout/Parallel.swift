import Dispatch

/// Splits `0..<count` into contiguous chunks run on up to `threads` threads. Callers only write the
/// slots of their own indices, so the result never depends on the thread count.
enum Parallel {
    static func forEach(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        let chunks = min(max(1, threads), count)
        guard chunks > 1 else {
            for i in 0..<count { body(i) }
            return
        }
        // Several chunks per thread even out rows of uneven cost.
        let pieces = min(count, chunks * 8)
        DispatchQueue.concurrentPerform(iterations: pieces) { piece in
            let start = count * piece / pieces
            let end = count * (piece + 1) / pieces
            for i in start..<end { body(i) }
        }
    }
}
