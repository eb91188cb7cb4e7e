import AtlasCore
import Foundation
import Graphics

/// When a golden check may write the golden file instead of failing (swift-snapshot-testing's record modes).
public enum RecordMode: String, Sendable, CaseIterable {
    /// Never write; a missing golden fails. CI uses this.
    case never
    /// Write goldens that do not exist yet; compare the rest.
    case missing
    /// Overwrite goldens that fail (after looking at the diff!).
    case failed
    /// Overwrite every golden.
    case all

    /// `ATLAS_RECORD` when set, else `never`: a golden is only written when someone asks for it.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(RecordModeError) -> RecordMode {
        guard let value = environment["ATLAS_RECORD"], !value.isEmpty else { return .never }
        guard let mode = RecordMode(rawValue: value) else { throw RecordModeError(value: value) }
        return mode
    }
}

/// `ATLAS_RECORD` holds something that is not a record mode.
public struct RecordModeError: Error, Equatable, CustomStringConvertible {
    public var value: String
    public var description: String {
        "ATLAS_RECORD=\(value) is not a record mode; expected one of \(RecordMode.allCases.map(\.rawValue).joined(separator: ", "))."
    }
}

/// Checks a render against its golden PNG. On failure writes `reference.png`, `failure.png` and
/// `difference.png` into an artifacts folder and names them in the message.
public struct GoldenImage: Sendable {
    public var path: String
    public var tolerance: Tolerance
    public var artifacts: String

    public init(path: String, tolerance: Tolerance = .standard, artifacts: String) {
        self.path = path
        self.tolerance = tolerance
        self.artifacts = artifacts
    }

    /// What happened: matched, recorded a new golden, or failed with a message.
    public enum Outcome: Sendable, Equatable {
        case matched
        case recorded
        case failed(String)
    }

    /// `mode` defaults to `RecordMode.fromEnvironment()`.
    public func check(_ image: RGBAImage, mode: RecordMode? = nil) throws -> Outcome {
        let mode = try mode ?? RecordMode.fromEnvironment()
        let exists = FileManager.default.fileExists(atPath: path)
        if mode == .all || (!exists && mode != .never) {
            try record(image)
            return .recorded
        }
        guard exists else { return .failed("No golden image at \(path); run with ATLAS_RECORD=missing to record it.") }
        let golden = try PNGFile.read(path).image
        guard let failure = ImageDiffing(tolerance: tolerance).verify(image, against: golden) else { return .matched }
        if mode == .failed {
            try record(image)
            return .recorded
        }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let dir = (artifacts as NSString).appendingPathComponent(name)
        try FailureArtifacts.write(reference: golden, failure: image, difference: failure.difference, to: dir)
        return .failed("\(failure.message) Golden: \(path). Artifacts: \(dir)/{reference,failure,difference}.png.")
    }

    private func record(_ image: RGBAImage) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try AtomicFile.write(to: path) { try PNGFile.write(image, to: $0, options: PNGOptions(compressionLevel: 9)) }
    }
}
