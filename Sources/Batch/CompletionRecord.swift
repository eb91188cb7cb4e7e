import Encode
import Foundation

/// Written once a job's latent has been rendered: the fingerprint it was rendered with and the files
/// it wrote. One per latent (`job` is `<input>#<latent>`), so a bulk export resumes latent by latent.
/// Because it is written last, its presence means "complete"; a run killed earlier leaves none, and
/// the next run renders that latent again.
public struct CompletionRecord: Codable, Sendable, Equatable {
    public var job: String
    public var fingerprint: String
    public var inputHash: String
    /// Size and modification time of the input when it was hashed: when both still match, the hash
    /// is reused and an up-to-date check reads nothing of the input.
    public var inputSize: UInt64
    public var inputModified: Double
    /// The latent's name (a list, as records of whole inputs had).
    public var latents: [String]
    /// Every file written, relative to the output folder; each latent's manifest among them.
    public var files: [String]
    /// Size and hash of each file as written (from the manifests; absent in older records): an output
    /// truncated or changed since is noticed and rendered again.
    public var outputs: [Manifest.OutputFile]?

    public init(job: String, fingerprint: String, inputHash: String, inputSize: UInt64, inputModified: Double,
                latents: [String], files: [String], outputs: [Manifest.OutputFile]? = nil) {
        self.job = job
        self.fingerprint = fingerprint
        self.inputHash = inputHash
        self.inputSize = inputSize
        self.inputModified = inputModified
        self.latents = latents
        self.files = files
        self.outputs = outputs
    }

    public func jsonData() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return try e.encode(self)
    }

    /// `nil` when missing or unreadable: either way the job is not known to be complete.
    public static func read(_ path: String) -> CompletionRecord? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return try? d.decode(CompletionRecord.self, from: data)
    }
}
