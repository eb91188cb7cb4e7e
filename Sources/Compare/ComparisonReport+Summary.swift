import AtlasCore

/// The report's wording, in one place: `atlas diff` prints `summary`, and `atlas verify` and
/// `ImageDiffing` print `violations(of:)`.
extension ComparisonReport {
    /// One line per metric, for people.
    public var summary: String {
        var lines: [String] = []
        if !sizesMatch {
            lines.append("sizes differ: \(width)×\(height) vs \(otherWidth)×\(otherHeight); metrics below cover the overlap")
        }
        lines.append("differing pixels: \(differingPixels) of \(comparedPixels) (\(Self.percent(differingShare)))"
            + (maskedPixels > 0 ? ", \(maskedPixels) masked" : ""))
        lines.append("anti-aliased pixels: \(antialiasedPixels)")
        lines.append("largest differing area: \(largestDifferingArea) pixels" + (largestDifferingAreaBox.map { " in \(Self.describe($0))" } ?? ""))
        lines.append("max channel difference: \(maxChannelDifference)")
        lines.append("PSNR: " + (psnr.isFinite ? "\(Self.rounded(psnr, 3)) dB" : "∞ (identical)"))
        lines.append("SSIM: \(Self.rounded(ssim, 6))")
        lines.append("ΔE2000: mean \(Self.rounded(deltaE.mean, 3)), p95 \(Self.rounded(deltaE.p95, 3)), max \(Self.rounded(deltaE.max, 3))")
        lines.append(passed ? "passed" : "failed")
        return lines.joined(separator: "\n")
    }

    /// One sentence per limit of `tolerance` this report breaks, each naming the actual value and
    /// the required one; empty when it passes.
    public func violations(of tolerance: Tolerance) -> [String] {
        if !sizesMatch {
            return ["Image size \(width)×\(height) does not match the golden image's \(otherWidth)×\(otherHeight)."]
        }
        var found: [String] = []
        if differingShare > tolerance.maxDifferingShare {
            found.append("\(differingPixels) of \(comparedPixels) pixels differ (\(Self.percent(differingShare))); "
                + "at most \(Self.percent(tolerance.maxDifferingShare)) may (threshold \(tolerance.threshold)"
                + "\(tolerance.includeAntialiasing ? ", anti-aliasing included" : "")).")
        }
        if largestDifferingArea > tolerance.maxDifferingArea {
            found.append("A connected area of \(largestDifferingArea) differing pixels"
                + (largestDifferingAreaBox.map { " (\(Self.describe($0)))" } ?? "")
                + "; at most \(tolerance.maxDifferingArea) may differ in one place (max_differing_area).")
        }
        if let minSSIM = tolerance.minSSIM, ssim < minSSIM {
            found.append("SSIM is \(Self.rounded(ssim, 6)); at least \(minSSIM) is required.")
        }
        return found
    }

    /// "60×80 at 100,200".
    private static func describe(_ box: PixelRect) -> String { "\(box.width)×\(box.height) at \(box.x),\(box.y)" }

    private static func percent(_ share: Double) -> String { "\(rounded(share * 100, 3)) %" }

    private static func rounded(_ value: Double, _ digits: Int) -> Double {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}
