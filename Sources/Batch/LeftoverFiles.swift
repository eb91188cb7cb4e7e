import Foundation

/// Temporary files a killed render left behind (`AtomicFile` names them `.<file>.<pid>.<random>.tmp`).
/// They are never mistaken for output, but they take space, so batches remove them.
public enum LeftoverFiles {
    /// Removes leftovers in `folder`. With `onlyOfDeadProcesses`, spares those whose writer is still
    /// running on this machine (another batch into the same folder); without it, removes all, which
    /// only a merge may do, when every shard on every machine has finished.
    @discardableResult
    public static func sweep(_ folder: String, onlyOfDeadProcesses: Bool) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var removed = 0
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let parts = name.split(separator: ".")
            guard parts.count >= 4, let pid = Int32(parts[parts.count - 3]) else { continue }
            if onlyOfDeadProcesses && (kill(pid, 0) == 0 || errno == EPERM) { continue }
            if unlink((folder as NSString).appendingPathComponent(name)) == 0 { removed += 1 }
        }
        return removed
    }
}
