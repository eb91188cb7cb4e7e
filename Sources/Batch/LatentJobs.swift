import AtlasCore
import Contexts
import Foundation
import Pipeline
import Styles

/// Turns input files into one job per latent, reading each file at most once per run: an
/// unchanged file's latents come from its input index in the ledger without parsing it, and a
/// file is parsed only when one of this shard's latents in it must render (then its parsed
/// latents are handed to the renders, so nothing reads it again).
struct LatentJobs {
    struct Expansion {
        /// One job per latent, sorted by name.
        var jobs: [BatchJob] = []
        /// Input files that could not be read or parsed.
        var failures: [BatchLedger.Failure] = []
        /// Latent job name → why it is dead (not rendered).
        var dead: [String: String] = [:]
        /// Latent job name → the input file's job.
        var files: [String: BatchJob] = [:]
    }

    /// A parsed input: its latents and the hash of its bytes.
    struct Parsed {
        var latents: [String: Latent]
        var hash: String
        var size: UInt64
        var modified: Double
    }

    let ledger: BatchLedger
    let options: BatchOptions
    let checker: FreshnessCheck
    let threads: Int

    static func jobName(_ file: BatchJob, latent: String) -> String { file.name + "#" + latent }

    static func settingsKey(_ s: InputSettings) -> String { "bins=\(s.includeBins),zero=\(s.zeroFirstToken),max=\(s.maxTextCharacters)" }

    func inputSettings(_ job: BatchJob) throws -> InputSettings {
        let request = options.styleRequest(for: job)
        return try checker.loadStyle(request.style, overrides: request.overrides).settings.input
    }

    static func attributes(_ path: String) -> (size: UInt64, modified: Double)? {
        guard let a = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (a[.size] as? NSNumber)?.uint64Value, let modified = (a[.modificationDate] as? Date)?.timeIntervalSince1970 else { return nil }
        return (size, modified)
    }

    /// Reads and parses one input; records its index.
    func parse(_ file: BatchJob, settings: Result<InputSettings, Error>) -> Result<Parsed, Error> {
        Result {
            let settings = try settings.get()
            guard let attributes = Self.attributes(file.input), let data = FileManager.default.contents(atPath: file.input) else {
                throw InputError.unreadable(InputLocation(file: file.input), reason: "no such file or not readable")
            }
            let hash = Renderer.inputHash(data)
            let latents = try LatentReader.read(file.input, data: data, settings: settings)
            let index = BatchLedger.InputIndex(input: file.input, size: attributes.size, modified: attributes.modified, hash: hash,
                                               settings: Self.settingsKey(settings), latents: latents.map(\.name),
                                               dead: Dictionary(latents.compactMap { l in l.dead.map { (l.name, $0) } }, uniquingKeysWith: { a, _ in a }))
            try? ledger.writeIndex(index, for: file)
            checker.remember(hash: hash, of: file.input, size: attributes.size, modified: attributes.modified)
            return Parsed(latents: Dictionary(latents.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }), hash: hash,
                          size: attributes.size, modified: attributes.modified)
        }
    }

    /// Parses files in parallel (styles are loaded first: the style cache is not shared across threads).
    func parseAll(_ files: [BatchJob]) -> [Result<Parsed, Error>] {
        let settings = files.map { f in Result { try inputSettings(f) } }
        return Parallel.map(files.count, threads: threads) { parse(files[$0], settings: settings[$0]) }
    }

    /// The latent jobs of `files`; `parsed` receives the files that had to be parsed to list them.
    func expand(_ files: [BatchJob], parsed: inout [String: Parsed]) -> Expansion {
        var out = Expansion()
        var indexes: [String: BatchLedger.InputIndex] = [:]
        var toParse: [BatchJob] = []
        for file in files {
            if let index = ledger.inputIndex(for: file), let a = Self.attributes(file.input), index.size == a.size, index.modified == a.modified,
               let settings = try? inputSettings(file), index.settings == Self.settingsKey(settings) {
                indexes[file.name] = index
                checker.remember(hash: index.hash, of: file.input, size: a.size, modified: a.modified)
            } else {
                toParse.append(file)
            }
        }
        let results = parseAll(toParse)
        for (file, result) in zip(toParse, results) {
            switch result {
            case let .success(p):
                parsed[file.name] = p
                indexes[file.name] = ledger.inputIndex(for: file)
                    ?? BatchLedger.InputIndex(input: file.input, size: p.size, modified: p.modified, hash: p.hash, settings: "",
                                              latents: p.latents.values.map(\.name).sorted(),
                                              dead: Dictionary(p.latents.values.compactMap { l in l.dead.map { (l.name, $0) } }, uniquingKeysWith: { a, _ in a }))
            case let .failure(error):
                out.failures.append(BatchLedger.Failure(job: file.name, input: file.input, reason: BatchRunner.sentence(error)))
            }
        }
        for file in files {
            guard let index = indexes[file.name] else { continue }
            for latent in index.latents {
                var job = file
                job.name = Self.jobName(file, latent: latent)
                job.latent = latent
                out.jobs.append(job)
                out.files[job.name] = file
                if let reason = index.dead[latent] { out.dead[job.name] = reason }
            }
        }
        out.jobs.sort { $0.name < $1.name }
        return out
    }
}

/// The parsed latents waiting for their renders; each is handed out once and then let go, so a
/// bulk file's latents leave memory as they are rendered.
final class LatentStore: @unchecked Sendable {
    private let lock = NSLock()
    private var latents: [String: Latent] = [:]
    private var hashes: [String: String] = [:]

    func put(_ latent: Latent, for job: String, inputHash: String) {
        lock.lock(); defer { lock.unlock() }
        latents[job] = latent
        hashes[job] = inputHash
    }

    func take(_ job: String) -> (Latent, String)? {
        lock.lock(); defer { lock.unlock() }
        guard let l = latents.removeValue(forKey: job), let h = hashes.removeValue(forKey: job) else { return nil }
        return (l, h)
    }
}
