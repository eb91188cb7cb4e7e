import Foundation

/// Writes files so that readers only ever see a complete file or none: the content goes to a
/// temporary file beside the destination, which is renamed into place only when it is complete.
public enum AtomicFile {
    /// Calls `body` with a temporary path in the destination's folder, then renames it to `path`.
    /// On any error the temporary file is removed and the destination is left untouched.
    ///
    /// Failures are `FileError`s naming the destination (not the temporary file) and the reason. An
    /// error from `body` that is not a file-system error (a library's "write error") is reported as
    /// "no space left on device" when the destination's file system is full, and passed on otherwise.
    public static func write<R>(to path: String, _ body: (_ temporaryPath: String) throws -> R) throws -> R {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        try FileError.makeFolders(dir.path)
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt64.random(in: 0...UInt64.max) & 0xffffff).tmp").path
        do {
            let result = try body(temp)
            guard rename(temp, path) == 0 else { throw FileError(.moving, path: path, code: errno) }
            return result
        } catch {
            // Measured before the partial file is removed, which frees the space again.
            let full = (FileError.availableBytes(near: dir.path) ?? .max) < fullBelow
            unlink(temp)
            if let e = FileError.from(error, operation: .writing, path: path) { throw e }
            if full { throw FileError(.writing, path: path, code: ENOSPC) }
            throw error
        }
    }

    /// A file system with less free space than this is full for the purpose of explaining a failed write.
    static let fullBelow: UInt64 = 64 << 10

    /// Writes `data` atomically.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { temp in try data.write(to: URL(fileURLWithPath: temp)) }
    }

    /// Creates `path` and its parents, or throws a `FileError` naming it and why not.
    public static func createFolder(_ path: String) throws {
        try FileError.makeFolders(path)
    }
}
