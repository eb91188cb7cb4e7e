import AtlasCore

/// A golden-image comparison strategy as a value, in the manner of swift-snapshot-testing's
/// `Diffing`: `verify` returns nil on a match or a failure whose message names actual vs required.
/// New strategies come from old ones with `pullback` (compare some value by the image it renders).
public struct ImageDiffing<Value>: Sendable {
    public var tolerance: Tolerance
    /// Turns the tested value into the image to compare.
    public var image: @Sendable (Value) -> RGBAImage

    public init(tolerance: Tolerance, image: @escaping @Sendable (Value) -> RGBAImage) {
        self.tolerance = tolerance
        self.image = image
    }

    /// Compares `value` through this strategy with a golden value of the same kind.
    public func verify(_ actual: Value, against golden: Value) -> ComparisonFailure? {
        Self.verify(image(actual), against: image(golden), tolerance: tolerance)
    }

    /// A strategy for another type that renders to this one's value first.
    public func pullback<Other>(_ transform: @escaping @Sendable (Other) -> Value) -> ImageDiffing<Other> {
        let image = image
        return ImageDiffing<Other>(tolerance: tolerance) { image(transform($0)) }
    }

    static func verify(_ actual: RGBAImage, against golden: RGBAImage, tolerance: Tolerance) -> ComparisonFailure? {
        // Fast path: identical bytes match under any tolerance.
        if actual == golden { return nil }
        let report = ImageComparison.compare(actual, golden, tolerance: tolerance)
        if report.passed { return nil }
        return ComparisonFailure(message: report.violations(of: tolerance).joined(separator: " "), report: report,
                                 difference: ImageComparison.difference(actual, golden, tolerance: tolerance, report: report))
    }
}

extension ImageDiffing where Value == RGBAImage {
    /// Compares images directly: `ImageDiffing(tolerance: .standard).verify(render, against: golden)`.
    public init(tolerance: Tolerance = .standard) {
        self.init(tolerance: tolerance) { $0 }
    }
}
