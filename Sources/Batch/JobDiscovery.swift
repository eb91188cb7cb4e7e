import Contexts
import Foundation

/// Finds the work of a batch: every input in a folder (recursively, following symbolic links once),
/// or the entries of a batch manifest. Files are recognised by content; what is not an input is
/// left out with one line saying so. A Neuronpedia export tree is one source: its
/// `activations/batch-N.jsonl.gz` are the inputs, read with the `explanations/` and `features/` beside them.
public enum JobDiscovery {
    /// The extensions looked at (each also gzip-compressed, `.jsonl.gz`); the content decides the format.
    public static let inputExtensions: Set<String> = ["jsonl", "ndjson", "json"]

    /// What a folder holds: the input files, and a line for each file that is not one.
    public struct Discovery: Sendable, Equatable {
        public var jobs: [BatchJob]
        /// "path: why it was left out", sorted.
        public var ignored: [String]
    }

    /// Jobs sorted by name. `excluding` is the output folder: its manifests are `.json` files too.
    public static func jobs(from source: String, excluding output: String? = nil) throws -> [BatchJob] {
        try discover(source, excluding: output).jobs
    }

    public static func discover(_ source: String, excluding output: String? = nil) throws -> Discovery {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else { throw BatchError.sourceNotFound(source) }
        var found = Discovery(jobs: [], ignored: [])
        if isDirectory.boolValue {
            found = try folderJobs(source, excluding: output)
        } else if ["yaml", "yml"].contains((source as NSString).pathExtension.lowercased()) {
            found.jobs = try BatchManifest.read(source).jobs
        } else {
            found.jobs = [BatchJob(name: (source as NSString).lastPathComponent, input: source)]
        }
        guard !found.jobs.isEmpty else { throw BatchError.noInputs(source: source) }
        found.jobs.sort { $0.name < $1.name }
        found.ignored.sort()
        return found
    }

    /// Whether a file name has one of the extensions looked at, gzip or not.
    static func hasInputExtension(_ name: String) -> Bool {
        var n = name.lowercased()
        if n.hasSuffix(".gz") { n = String(n.dropLast(3)) }
        return inputExtensions.contains((n as NSString).pathExtension)
    }

    static func folderJobs(_ folder: String, excluding output: String?) throws -> Discovery {
        let fm = FileManager.default
        let rootReal = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath().path
        let skipped = output.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path }
        var found = Discovery(jobs: [], ignored: [])
        // Real paths of the folders entered: a link back to one of them is a loop, followed once only.
        var visited = Set<String>()
        var seenFiles = Set<String>()
        func walk(_ relative: String) {
            let shown = relative.isEmpty ? folder : (folder as NSString).appendingPathComponent(relative)
            let real = URL(fileURLWithPath: shown).resolvingSymlinksInPath().path
            guard visited.insert(real).inserted else {
                found.ignored.append("\(shown): a symbolic link to a folder already read (a loop); followed once only")
                return
            }
            // Render folders hold `.json` manifests, which are not inputs: this batch's output, and any
            // folder another batch wrote into.
            if real == skipped || fm.fileExists(atPath: (real as NSString).appendingPathComponent(BatchLedger.folderName)) { return }
            guard let names = try? fm.contentsOfDirectory(atPath: shown) else {
                found.ignored.append("\(shown): the folder cannot be read")
                return
            }
            // A Neuronpedia export source (`<model>/<source>/`): explanations and features are read with the activations.
            let isExport = names.contains("activations") && (names.contains("explanations") || names.contains("features"))
            for name in names.sorted() where !name.hasPrefix(".") {
                let rel = relative.isEmpty ? name : relative + "/" + name
                let path = (folder as NSString).appendingPathComponent(rel)
                var isDir: ObjCBool = false
                guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                    found.ignored.append("\(path): a broken symbolic link")
                    continue
                }
                if isDir.boolValue {
                    if isExport && (name == "explanations" || name == "features") { continue }
                    walk(rel)
                    continue
                }
                let realFile = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
                guard hasInputExtension(name) else {
                    found.ignored.append("\(path): not an input (only .jsonl, .ndjson and .json files, gzip or not, are read)")
                    continue
                }
                guard seenFiles.insert(realFile).inserted else {
                    found.ignored.append("\(path): the same file as another input (a symbolic link); read once")
                    continue
                }
                do {
                    let format = try LatentReader.format(of: path)
                    guard format.isInput else {
                        found.ignored.append("\(path): \(format.displayName), not an input (read beside the activations of its export)")
                        continue
                    }
                } catch {
                    // Not recognisable by content: a Neuronpedia metadata row (model.jsonl, source.jsonl…) or
                    // another file. A broken input is reported by its render instead.
                    if case InputError.unknownFormat = error {
                        found.ignored.append("\(path): not an input (its records are none of the input formats)")
                        continue
                    }
                }
                found.jobs.append(BatchJob(name: rel, input: path))
            }
        }
        _ = rootReal
        walk("")
        return found
    }
}
