import Foundation

/// The constraint's geometry from the scores: each point's target radius (by score rank) and
/// each region's size (by normalised score).
struct RadialLaw {
    /// Score rank of each point, 0 = highest; ties go to the lower index.
    let ranks: [Int]
    /// Target radius in the unit disc: (rank / (n − 1))^γ, so the top score sits at the centre.
    let targets: [Double]

    init(scores: [Double], exponent: Double) {
        let n = scores.count
        let order = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        var ranks = [Int](repeating: 0, count: n)
        for (rank, index) in order.enumerated() { ranks[index] = rank }
        self.ranks = ranks
        targets = ranks.map { n > 1 ? pow(Double($0) / Double(n - 1), exponent) : 0 }
    }

    /// Region radius per point: `scale` for the top score, scale·max(minimum, t^exponent) for
    /// min–max normalised score t (over `range` when given, else the scores' own).
    static func regionRadii(scores: [Double], scale: Double, exponent: Double, minimum: Double,
                            range: ClosedRange<Double>? = nil) -> [Double] {
        guard let low = range?.lowerBound ?? scores.min(), let high = range?.upperBound ?? scores.max() else { return [] }
        return scores.map { score in
            let t = high > low ? min(max((score - low) / (high - low), 0), 1) : 1
            return scale * max(minimum, pow(t, exponent))
        }
    }
}
