import Dispatch

/// Runs `body` for every index in `0..<count` on `threads` workers. Callers only write the slots of
/// their own indices, so the result never depends on the thread count or the schedule.
enum Parallel {
    static func forEach(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        let workers = min(max(1, threads), count)
        guard workers > 1 else {
            for i in 0..<count { body(i) }
            return
        }
        // Eight contiguous pieces per worker, dealt round-robin, even out rows of uneven cost.
        let pieces = min(count, workers * 8)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for piece in stride(from: worker, to: pieces, by: workers) {
                for i in (count * piece / pieces)..<(count * (piece + 1) / pieces) { body(i) }
            }
        }
    }
}
