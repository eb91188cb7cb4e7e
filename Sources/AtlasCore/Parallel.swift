import Foundation

/// The project's one parallel-for. `body(i)` runs for every index in `0..<count` on at most
/// `threads` threads, indices handed out in order from a shared counter (so uneven pieces balance).
/// Callers write only their own slots and reduce in index order, so results never depend on the
/// thread count or the schedule.
public enum Parallel {
    public static func forEach(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        let workers = min(max(threads, 1), count)
        if workers == 1 {
            for i in 0..<count { body(i) }
            return
        }
        let next = Counter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = next.take(below: count) { body(i) }
        }
    }

    /// `body(i)` for every index, results in index order.
    public static func map<T>(_ count: Int, threads: Int, _ body: (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        var slots = [T?](repeating: nil, count: count)
        slots.withUnsafeMutableBufferPointer { out in
            forEach(count, threads: threads) { out[$0] = body($0) }
        }
        return slots.map { $0! }
    }

    /// `body` over consecutive bands of `rows` (each `bandHeight` rows, the last shorter), in band order.
    public static func map<T>(rows: Range<Int>, bandHeight: Int, threads: Int, _ body: (Range<Int>) -> T) -> [T] {
        let height = max(bandHeight, 1)
        let count = (rows.count + height - 1) / height
        return map(count, threads: threads) { band in
            let start = rows.lowerBound + band * height
            return body(start..<min(start + height, rows.upperBound))
        }
    }

    /// The thread count when nobody asked for one: every core.
    public static var allCores: Int { ProcessInfo.processInfo.activeProcessorCount }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0

        func take(below limit: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
    }
}
