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
        guard pixelCount > 0, !nonZero.isEmpty else { self = .zero; return }
        let zeros = pixelCount - nonZero.count
        // Sorted value at rank r over all pixels: zeros first, then the listed values.
        func ranked(_ r: Int) -> Double { r < zeros ? 0 : Self.select(&nonZero, rank: r - zeros) }
        let position = 0.95 * Double(pixelCount - 1)
        let lower = Int(position.rounded(.down))
        let upper = Swift.min(lower + 1, pixelCount - 1)
        let low = ranked(lower), high = ranked(upper)
        mean = nonZero.reduce(0, +) / Double(pixelCount)
        p95 = low + (high - low) * (position - Double(lower))
        max = nonZero.max()!
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
