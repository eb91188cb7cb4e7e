import Foundation

/// Finds the work of a batch: every input in a folder (recursively), or the entries of a batch manifest.
public enum JobDiscovery {
    /// The extensions `LatentReader` reads.
    public static let inputExtensions: Set<String> = ["jsonl", "ndjson", "json"]

    /// Jobs sorted by name. `excluding` is the output folder: its manifests are `.json` files too.
    public static func jobs(from source: String, excluding output: String? = nil) throws -> [BatchJob] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else { throw BatchError.sourceNotFound(source) }
        let jobs: [BatchJob]
        if isDirectory.boolValue {
            jobs = try folderJobs(source, excluding: output)
        } else if ["yaml", "yml"].contains((source as NSString).pathExtension.lowercased()) {
            jobs = try BatchManifest.read(source).jobs
        } else {
            jobs = [BatchJob(name: (source as NSString).lastPathComponent, input: source)]
        }
        guard !jobs.isEmpty else { throw BatchError.noInputs(source: source) }
        return jobs.sorted { $0.name < $1.name }
    }

    static func folderJobs(_ folder: String, excluding output: String?) throws -> [BatchJob] {
        let root = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath()
        let skipped = output.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path }
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey, .isDirectoryKey],
                                                         options: [.skipsHiddenFiles]) else {
            throw BatchError.sourceNotFound(folder)
        }
        var jobs: [BatchJob] = []
        for case let url as URL in walker {
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isDirectoryKey])
            if values?.isDirectory == true {
                // Render folders hold `.json` manifests, which are not inputs: this batch's output, and
                // any folder another batch wrote into.
                let isOutput = url.standardizedFileURL.resolvingSymlinksInPath().path == skipped
                    || FileManager.default.fileExists(atPath: url.appendingPathComponent(BatchLedger.folderName).path)
                if isOutput { walker.skipDescendants() }
                continue
            }
            guard values?.isRegularFile == true, inputExtensions.contains(url.pathExtension.lowercased()) else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(root.path) else { continue }
            let name = String(path.dropFirst(root.path.count).drop { $0 == "/" })
            jobs.append(BatchJob(name: name, input: (folder as NSString).appendingPathComponent(name)))
        }
        return jobs
    }
}
