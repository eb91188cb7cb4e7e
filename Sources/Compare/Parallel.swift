import Dispatch

/// Runs independent pieces of work on all cores. Each piece writes only its own result slot and the
/// caller reduces the slots in index order, so results never depend on scheduling or core count.
enum Parallel {
    static func map<T>(count: Int, _ body: (Int) -> T) -> [T] {
        guard count > 1 else { return count == 1 ? [body(0)] : [] }
        var slots = [T?](repeating: nil, count: count)
        slots.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: count) { out[$0] = body($0) }
        }
        return slots.map { $0! }
    }

    /// `body` over fixed-height bands of `rows`, in band order.
    static func map<T>(rows: Range<Int>, bandHeight: Int, _ body: (Range<Int>) -> T) -> [T] {
        let count = (rows.count + bandHeight - 1) / bandHeight
        return map(count: count) { band in
            let start = rows.lowerBound + band * bandHeight
            return body(start..<min(start + bandHeight, rows.upperBound))
        }
    }

    /// Runs `body` on every band, for passes that write only into disjoint rows of their own output.
    static func forEach(rows: Range<Int>, bandHeight: Int, _ body: (Range<Int>) -> Void) {
        _ = map(rows: rows, bandHeight: bandHeight, body)
    }
}
