import AtlasCore
import Foundation

/// The 1-D histogram of every usable score, with the selected top K counted per bin. Bins follow
/// the Freedman–Diaconis rule (width 2·IQR·n^(-1/3)) between 10 and `maxBins`; the quartiles come
/// from a 4096-bin pre-count, so the whole thing is two linear passes.
public struct Histogram: Sendable, Equatable {
    public var lower: Double
    public var width: Double
    public var counts: [Int]
    /// How many of each bin's scores were selected.
    public var selected: [Int]
    public var total: Int

    public var upper: Double { lower + width * Double(counts.count) }

    public init(scores: [Float], top: [Hit], statistics: ScoreStatistics, maxBins: Int) {
        let lo = statistics.minimum, hi = statistics.maximum
        let n = statistics.count
        total = n
        guard n > 0, hi > lo else {
            lower = lo - 0.5; width = 1; counts = [n]; selected = [top.count]
            return
        }
        // Quartiles from a fine pre-count.
        let fine = 4096
        var pre = [Int](repeating: 0, count: fine)
        let scale = Double(fine) / (hi - lo)
        for s in scores where !s.isNaN { pre[min(fine - 1, Int((Double(s) - lo) * scale))] += 1 }
        func quantile(_ q: Double) -> Double {
            let target = q * Double(n)
            var cumulative = 0
            for (i, c) in pre.enumerated() {
                if Double(cumulative + c) >= target {
                    let within = c > 0 ? (target - Double(cumulative)) / Double(c) : 0
                    return lo + (Double(i) + within) / scale
                }
                cumulative += c
            }
            return hi
        }
        let iqr = quantile(0.75) - quantile(0.25)
        let fd = iqr > 0 ? 2 * iqr / pow(Double(n), 1.0 / 3.0) : (hi - lo) / 10
        let bins = max(10, min(maxBins, Int(((hi - lo) / fd).rounded(.up))))
        lower = lo
        width = (hi - lo) / Double(bins)
        var counts = [Int](repeating: 0, count: bins)
        let inverse = 1 / width
        for s in scores where !s.isNaN { counts[min(bins - 1, max(0, Int((Double(s) - lo) * inverse)))] += 1 }
        var selected = [Int](repeating: 0, count: bins)
        for h in top { selected[min(bins - 1, max(0, Int((Double(h.score) - lo) * inverse)))] += 1 }
        self.counts = counts
        self.selected = selected
    }
}
