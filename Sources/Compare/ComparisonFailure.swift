import AtlasCore

/// Why a render did not match its golden image: a one-paragraph message naming actual vs required,
/// the full report, and the diff picture to save beside the reference and the failure.
public struct ComparisonFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var report: ComparisonReport
    public var difference: RGBAImage

    public var description: String { message }

    public init(message: String, report: ComparisonReport, difference: RGBAImage) {
        self.message = message
        self.report = report
        self.difference = difference
    }
}
