import Foundation

/// Writes files so that readers only ever see a complete file or none: the content goes to a
/// temporary file beside the destination, which is renamed into place only when it is complete.
public enum AtomicFile {
    /// Calls `body` with a temporary path in the destination's folder, then renames it to `path`.
    /// On any error the temporary file is removed and the destination is left untouched.
    public static func write<R>(to path: String, _ body: (_ temporaryPath: String) throws -> R) throws -> R {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt64.random(in: 0...UInt64.max) & 0xffffff).tmp").path
        do {
            let result = try body(temp)
            guard rename(temp, path) == 0 else {
                let reason = String(cString: strerror(errno))
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "could not move \(temp) to \(path): \(reason)"])
            }
            return result
        } catch {
            unlink(temp)
            throw error
        }
    }

    /// Writes `data` atomically.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { temp in try data.write(to: URL(fileURLWithPath: temp)) }
    }
}
