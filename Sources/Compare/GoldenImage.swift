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

    /// From `ATLAS_RECORD`; defaults to `never` under CI (`CI` set) and `missing` elsewhere.
    public static var current: RecordMode {
        let env = ProcessInfo.processInfo.environment
        if let v = env["ATLAS_RECORD"], let mode = RecordMode(rawValue: v) { return mode }
        return env["CI"] != nil ? .never : .missing
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

    public func check(_ image: RGBAImage, mode: RecordMode = .current) throws -> Outcome {
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
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let files = ["reference.png": golden, "failure.png": image, "difference.png": failure.difference]
        for (file, img) in files { try PNGFile.write(img, to: (dir as NSString).appendingPathComponent(file), options: PNGOptions()) }
        return .failed("\(failure.message) Golden: \(path). Artifacts: \(dir)/{reference,failure,difference}.png.")
    }

    private func record(_ image: RGBAImage) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try AtomicFile.write(to: path) { try PNGFile.write(image, to: $0, options: PNGOptions(compressionLevel: 9)) }
    }
}
