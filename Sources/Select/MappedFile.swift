import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A whole file mapped read-only. Owns the mapping; pages are read from the page cache on first
/// touch, and `release` lets the kernel drop the process's mapping of pages already scanned so
/// the resident set stays small even when the file is larger than memory.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let size: Int
    let base: UnsafeRawPointer?

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw SelectError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw SelectError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw SelectError.unreadable(file: path, reason: "not a regular file") }
        size = Int(st.st_size)
        if size == 0 { base = nil; return }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw SelectError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        base = UnsafeRawPointer(p)
    }

    deinit { if let base { munmap(UnsafeMutableRawPointer(mutating: base), size) } }

    /// The bytes at `offset..<offset + count` (the caller has checked the range).
    func pointer(at offset: Int) -> UnsafeRawPointer { base!.advanced(by: offset) }

    /// The bytes of a range, copied (for headers).
    func bytes(_ range: Range<Int>) -> [UInt8] {
        guard !range.isEmpty, let base else { return [] }
        return Array(UnsafeRawBufferPointer(start: base.advanced(by: range.lowerBound), count: range.count))
    }

    /// Tells the kernel a range will be read in order (aggressive read-ahead from disk). Not
    /// MADV_WILLNEED: on a file mapping that maps every cached page into the process at once.
    func willReadSequentially(_ range: Range<Int>) {
        advise(range, MADV_SEQUENTIAL)
    }

    /// Unmaps the process's view of pages in `range` that were already read; the page cache keeps
    /// them, so reading them again costs a minor fault, not a disk read.
    func release(_ range: Range<Int>) { advise(range, MADV_DONTNEED) }

    private func advise(_ range: Range<Int>, _ advice: Int32) {
        guard let base, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = range.lowerBound / page * page
        let end = min(range.upperBound, size)
        // Only whole pages inside the range are released, so a neighbour's rows are never touched.
        let lower = advice == MADV_DONTNEED ? (range.lowerBound + page - 1) / page * page : start
        let upper = advice == MADV_DONTNEED ? (end == size ? end : end / page * page) : end
        guard upper > lower else { return }
        madvise(UnsafeMutableRawPointer(mutating: base.advanced(by: lower)), upper - lower, advice)
    }
}
