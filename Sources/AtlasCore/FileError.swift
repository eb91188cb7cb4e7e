import Foundation

/// A file that could not be read or written, with the path and the reason in words: the one place
/// the CLI's I/O sentences are worded ("no space left on device while writing Output/x.png").
public struct FileError: Error, Equatable, CustomStringConvertible {
    public enum Operation: String, Sendable {
        case reading, writing, creating = "creating the folder", moving = "moving into place"
    }

    public var operation: Operation
    public var path: String
    /// The POSIX error number when there is one.
    public var code: Int32?
    /// What the library said, when there is no error number.
    public var detail: String?

    public init(_ operation: Operation, path: String, code: Int32? = nil, detail: String? = nil) {
        self.operation = operation
        self.path = path
        self.code = code
        self.detail = detail
    }

    public var reason: String {
        switch code {
        case ENOSPC?: return "no space left on device"
        case EDQUOT?: return "disk quota exceeded"
        case ENOTDIR?: return detail.map { "\($0) is not a folder" } ?? "a part of the path is not a folder"
        case ENOENT?: return "no such file or folder"
        case EACCES?, EPERM?: return "permission denied"
        case EROFS?: return "read-only file system"
        case EISDIR?: return "it is a folder"
        case ENAMETOOLONG?: return "the file name is too long"
        case EIO?: return "input/output error"
        case let c?: return String(cString: strerror(c)).lowercased()
        case nil: return detail ?? "unknown error"
        }
    }

    public var description: String {
        "\(reason) while \(operation.rawValue) \(path)" + (code != nil && code != ENOTDIR && detail != nil ? " (\(detail!))" : "")
    }

    /// Words `error` as a `FileError` about `path` when it is a file-system error (Foundation's,
    /// POSIX's); `nil` for errors that are not about files.
    public static func from(_ error: Error, operation: Operation, path: String) -> FileError? {
        if let e = error as? FileError { return e }
        if let e = error as? POSIXError { return FileError(operation, path: path, code: e.code.rawValue) }
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return FileError(operation, path: path, code: Int32(underlying.code))
        }
        if ns.domain == NSPOSIXErrorDomain { return FileError(operation, path: path, code: Int32(ns.code)) }
        if ns.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileWriteOutOfSpace: return FileError(operation, path: path, code: ENOSPC)
            case .fileWriteNoPermission, .fileReadNoPermission: return FileError(operation, path: path, code: EACCES)
            case .fileWriteVolumeReadOnly: return FileError(operation, path: path, code: EROFS)
            case .fileNoSuchFile, .fileReadNoSuchFile: return FileError(operation, path: path, code: ENOENT)
            case .fileWriteInvalidFileName: return FileError(operation, path: path, code: ENAMETOOLONG)
            default: return FileError(operation, path: path, detail: ns.localizedDescription)
            }
        }
        return nil
    }

    /// The one sentence an error prints as at the CLI and in batch logs: our errors describe
    /// themselves; Foundation's file errors become a `FileError` naming the path and the reason.
    public static func sentence(_ error: Error) -> String {
        if let e = error as? FileError { return e.description }
        if let e = error as? CocoaError {
            let path = e.filePath ?? e.url?.path ?? "a file"
            return (from(e, operation: .writing, path: path) ?? FileError(.writing, path: path, detail: e.localizedDescription)).description
        }
        return String(describing: error)
    }

    /// Creates `path` and its missing parents (`mkdir -p`), or throws naming the path and the reason
    /// (Foundation's own error on Linux says only "error 512").
    public static func makeFolders(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return }
            throw FileError(.creating, path: path, code: ENOTDIR, detail: path)
        }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
            if FileManager.default.fileExists(atPath: prefix, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else { throw FileError(.creating, path: path, code: ENOTDIR, detail: prefix) }
                continue
            }
            if mkdir(prefix, 0o777) != 0 && errno != EEXIST { throw FileError(.creating, path: path, code: errno) }
        }
    }

    /// Throws what `makeFolders(path)` would, without creating anything: the nearest existing
    /// ancestor must be a folder this process may write in.
    public static func checkFolderCanBeMade(_ path: String) throws {
        var p = URL(fileURLWithPath: path).standardized.path
        var isDirectory: ObjCBool = false
        while !FileManager.default.fileExists(atPath: p, isDirectory: &isDirectory) {
            let parent = (p as NSString).deletingLastPathComponent
            if parent == p || parent.isEmpty { return }
            p = parent
        }
        guard isDirectory.boolValue else { throw FileError(.creating, path: path, code: ENOTDIR, detail: p) }
        if access(p, W_OK) != 0 { throw FileError(.writing, path: path, code: errno) }
    }

    /// Bytes free for an unprivileged writer on the file system holding `path` (or its nearest existing
    /// parent); `nil` when it cannot be told.
    public static func availableBytes(near path: String) -> UInt64? {
        var p = path
        while !p.isEmpty {
            var s = statvfs()
            if statvfs(p, &s) == 0 { return UInt64(s.f_bavail) * UInt64(s.f_frsize) }
            let parent = (p as NSString).deletingLastPathComponent
            if parent == p { break }
            p = parent
        }
        return nil
    }
}
