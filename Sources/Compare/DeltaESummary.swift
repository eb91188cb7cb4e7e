/// CIEDE2000 colour differences over the compared pixels.
public struct DeltaESummary: Codable, Sendable, Equatable {
    public var mean: Double
    /// 95th percentile, interpolated linearly between ranks (NumPy's default).
    public var p95: Double
    public var max: Double

    public init(mean: Double, p95: Double, max: Double) {
        self.mean = mean
        self.p95 = p95
        self.max = max
    }

    public static let zero = DeltaESummary(mean: 0, p95: 0, max: 0)

    /// Summarises `pixelCount` differences of which only the non-zero ones are listed (the rest are
    /// 0), so identical pixels never need storing. Reorders `nonZero`.
    init(nonZero: inout [Double], pixelCount: Int) {
        var accumulator = Accumulator(pixelCount: pixelCount)
        accumulator.add(nonZero)
        self = accumulator.summary
    }

    /// Gathers the non-zero differences band by band, keeping only what the summary needs: the
    /// running sum and maximum, and the largest values down to the 95th percentile's rank (at
    /// most 5 % of the pixels, and only when that many differ), so memory does not grow with the image.
    struct Accumulator {
        let pixelCount: Int
        private var sum = 0.0
        private var largest = 0.0
        private var nonZeroCount = 0
        /// Candidates for the ranks from the percentile's up: a superset of the largest `keep`.
        private var top: [Double] = []
        /// Values at sorted ranks ≥ `lower` over all pixels: the `pixelCount − lower` largest.
        private let keep: Int
        private let lower: Int
        private let position: Double

        init(pixelCount: Int) {
            self.pixelCount = pixelCount
            position = 0.95 * Double(Swift.max(pixelCount - 1, 0))
            lower = Int(position.rounded(.down))
            keep = Swift.max(pixelCount - lower, 0)
        }

        /// The next band's non-zero values, in reading order.
        mutating func add(_ values: [Double]) {
            for v in values { sum += v; largest = Swift.max(largest, v) }
            nonZeroCount += values.count
            top += values
            // Trim to the largest `keep` once there are half as many again (linear time amortised).
            if top.count > keep + keep / 2 + 1024 {
                _ = DeltaESummary.select(&top, rank: top.count - keep)
                top.removeFirst(top.count - keep)
            }
        }

        var summary: DeltaESummary {
            guard pixelCount > 0, nonZeroCount > 0 else { return .zero }
            var kept = top
            // Sorted ranks over all pixels: zeros and unkept values first, `kept` last.
            let firstKept = pixelCount - kept.count
            func ranked(_ r: Int) -> Double { r < firstKept ? 0 : DeltaESummary.select(&kept, rank: r - firstKept) }
            let upper = Swift.min(lower + 1, pixelCount - 1)
            let low = ranked(lower), high = ranked(upper)
            return DeltaESummary(mean: sum / Double(pixelCount), p95: low + (high - low) * (position - Double(lower)), max: largest)
        }
    }

    /// The `rank`-th smallest value (quickselect: linear time, no full sort of millions of values).
    static func select(_ values: inout [Double], rank: Int) -> Double {
        values.withUnsafeMutableBufferPointer { v in
            var lo = 0, hi = v.count - 1
            while lo < hi {
                // Median of three as pivot keeps sorted and constant runs linear.
                let mid = lo + (hi - lo) / 2
                let pivot = Swift.max(Swift.min(v[lo], v[mid]), Swift.min(Swift.max(v[lo], v[mid]), v[hi]))
                var i = lo, j = hi
                while i <= j {
                    while v[i] < pivot { i += 1 }
                    while v[j] > pivot { j -= 1 }
                    if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
                }
                if rank <= j { hi = j } else if rank >= i { lo = i } else { return v[rank] }
            }
            return v[rank]
        }
    }
}
