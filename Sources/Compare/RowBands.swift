import Dispatch

/// Splits a range of rows into fixed bands and runs them in parallel. Each band writes only its own
/// result slot and the caller reduces the slots in band order, so results never depend on scheduling.
enum RowBands {
    static func map<T>(rows: Range<Int>, bandHeight: Int, _ body: (Range<Int>) -> T) -> [T] {
        let count = rows.isEmpty ? 0 : (rows.count + bandHeight - 1) / bandHeight
        guard count > 1 else { return count == 0 ? [] : [body(rows)] }
        var slots = [T?](repeating: nil, count: count)
        slots.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: count) { band in
                let start = rows.lowerBound + band * bandHeight
                out[band] = body(start..<min(start + bandHeight, rows.upperBound))
            }
        }
        return slots.map { $0! }
    }

    /// Runs `body` on every band, for passes that write only into disjoint rows of their own output.
    static func forEach(rows: Range<Int>, bandHeight: Int, _ body: (Range<Int>) -> Void) {
        _ = map(rows: rows, bandHeight: bandHeight, body)
    }
}
