import Foundation

/// The legend's score labels: three significant digits, or as many more as it takes for different
/// scores to read differently (102.31 and 102.07 print as `102.3` and `102.1`, not `102` twice).
/// Every label of one legend gets the same precision.
public enum LegendLabels {
    public static func text(_ scores: [Double]) -> [String] {
        let distinct = Set(scores).count
        for digits in 3...12 {
            let labels = scores.map { String(format: "%.\(digits)g", $0) }
            if Set(labels).count == distinct { return labels }
        }
        return scores.map { String(format: "%.17g", $0) }
    }
}
