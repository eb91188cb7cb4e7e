import AtlasCore
import Foundation
import Pipeline
import Plan
import Styles

/// Decides whether a job's renders are up to date without rendering or parsing anything large: its
/// completion record, the input's size and modification time (its bytes are hashed only when they
/// changed), the fingerprint as the renderer computes it, and each manifest's fingerprint.
final class FreshnessCheck: @unchecked Sendable {
    enum Outcome {
        case upToDate(BatchJob, CompletionRecord)
        case stale(Plan)
        /// The job cannot render at all (missing input, unknown style): a failure before any work.
        case unusable(BatchJob, reason: String)
    }

    /// Everything a render of the job needs, worked out while checking.
    struct Plan: Sendable {
        var job: BatchJob
        var style: Style
        var overrides: [String]
        var fingerprint: String
        var inputHash: String
        var inputSize: UInt64
        var inputModified: Double
        /// Estimated peak (what the memory budget admits) and the render's own budget (its bands are sized from it).
        var memory: UInt64
        var budget: UInt64
    }

    let ledger: BatchLedger
    let options: BatchOptions
    /// Loaded styles by reference and overrides: a batch usually shares one among all its jobs.
    private var styles: [[String]: Result<Style, Error>] = [:]
    /// Input hashes already known this run (from reading the input, or its index): the latents of
    /// one bulk file share its hash, which is computed once.
    private var knownHashes: [String: (size: UInt64, modified: Double, hash: String)] = [:]
    private let hashLock = NSLock()

    func remember(hash: String, of input: String, size: UInt64, modified: Double) {
        hashLock.lock(); defer { hashLock.unlock() }
        knownHashes[input] = (size, modified, hash)
    }

    private func knownHash(_ input: String, size: UInt64, modified: Double) -> String? {
        hashLock.lock(); defer { hashLock.unlock() }
        guard let k = knownHashes[input], k.size == size, k.modified == modified else { return nil }
        return k.hash
    }

    init(ledger: BatchLedger, options: BatchOptions) {
        self.ledger = ledger
        self.options = options
    }

    func check(_ job: BatchJob, force: Bool) -> Outcome {
        let request = options.styleRequest(for: job)
        let style: Style
        do {
            style = try loadStyle(request.style, overrides: request.overrides)
        } catch {
            return .unusable(job, reason: BatchRunner.sentence(error))
        }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: job.input),
              let size = (attributes[.size] as? NSNumber)?.uint64Value,
              let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 else {
            return .unusable(job, reason: "\(job.input) cannot be read; check that it exists and is readable.")
        }
        let record = ledger.record(for: job)
        let inputHash: String
        if let known = knownHash(job.input, size: size, modified: modified) {
            inputHash = known
        } else if let record, record.inputSize == size, record.inputModified == modified {
            inputHash = record.inputHash
        } else {
            guard let bytes = FileManager.default.contents(atPath: job.input) else {
                return .unusable(job, reason: "\(job.input) cannot be read; check that it is readable.")
            }
            inputHash = Renderer.inputHash(bytes)
            remember(hash: inputHash, of: job.input, size: size, modified: modified)
        }
        // The paintings of the latents rendered last time (with no record the job is stale anyway).
        let painting = options.paintings.map { PaintingInput.folder($0).hash(latents: record?.latents ?? []) }
        let fingerprint = Renderer.fingerprint(inputHash: inputHash, style: style, title: job.title, painting: painting)
        if !force, let record, record.fingerprint == fingerprint, isComplete(record, of: job) {
            return .upToDate(job, record)
        }
        // A job that cannot fit even alone is refused here and never started.
        let memory = MemoryBudget.estimate(style, limit: options.memoryLimit, inputBytes: size)
        do {
            try memory.check(raise: "--memory or output.memory_budget_mb")
        } catch {
            return .unusable(job, reason: BatchRunner.sentence(error))
        }
        return .stale(Plan(job: job, style: style, overrides: request.overrides, fingerprint: fingerprint, inputHash: inputHash,
                           inputSize: size, inputModified: modified, memory: min(memory.peak, memory.budget), budget: memory.budget))
    }

    /// Every file the record lists still exists with the size it was written with, is unchanged when
    /// it was modified after the record (its hash is compared then, so an up-to-date check reads no
    /// image whose time stamp is older), and every manifest carries the record's fingerprint (another
    /// render into the same folder may have replaced them since).
    func isComplete(_ record: CompletionRecord, of job: BatchJob) -> Bool {
        let folder = options.output as NSString
        let fm = FileManager.default
        let written = Dictionary((record.outputs ?? []).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let recorded = (try? fm.attributesOfItem(atPath: ledger.donePath(job))[.modificationDate] as? Date) ?? .distantPast
        for file in record.files {
            let path = folder.appendingPathComponent(file)
            guard let attributes = try? fm.attributesOfItem(atPath: path) else { return false }
            if file.hasSuffix(".json") {
                guard ManifestFingerprint.read(path) == record.fingerprint else { return false }
            }
            guard let expected = written[file] else { continue }
            guard (attributes[.size] as? NSNumber)?.uint64Value == expected.bytes else { return false }
            let modified = attributes[.modificationDate] as? Date ?? .distantFuture
            if modified > recorded, (try? FileDigest(path: path)) != expected.digest { return false }
        }
        return true
    }

    func loadStyle(_ reference: String, overrides: [String]) throws -> Style {
        let key = [reference] + overrides
        if let cached = styles[key] { return try cached.get() }
        let loaded = Result { try options.styles.load(reference, overrides: overrides) }
        styles[key] = loaded
        return try loaded.get()
    }
}
