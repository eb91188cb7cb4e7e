import CZlib

/// Streams a raw-deflate member of a mapped archive through zlib in fixed-size chunks, so a
/// deflated matrix is never held whole in memory.
final class Inflater {
    private var stream = z_stream()
    private let file: MappedFile
    private let member: ZipArchive.Member
    private var consumed = 0
    private(set) var produced = 0
    private var crc: uLong = 0
    private(set) var finished = false
    let label: String

    init(file: MappedFile, member: ZipArchive.Member) throws {
        self.file = file
        self.member = member
        label = member.name
        let status = inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw SelectError.corruptMember(file: file.path, member: member.name, reason: "zlib could not start (\(status))") }
        crc = crc32(0, nil, 0)
    }

    deinit { inflateEnd(&stream) }

    /// Fills `buffer` (up to `capacity` bytes) with the next inflated bytes; returns how many
    /// (0 at the end of the member).
    func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        guard !finished, capacity > 0 else { return 0 }
        let path = file.path
        stream.next_out = buffer.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(capacity)
        while stream.avail_out > 0 {
            if stream.avail_in == 0 {
                let left = member.compressedSize - consumed
                guard left > 0 else { break }
                let piece = min(left, 1 << 22)
                guard member.dataOffset + consumed + piece <= file.size else {
                    throw SelectError.truncated(file: path, needed: member.dataOffset + member.compressedSize, available: file.size, what: "member '\(member.name)'")
                }
                // Compressed pages already inflated are released as we go.
                if consumed > 0 { file.release(member.dataOffset..<member.dataOffset + consumed) }
                stream.next_in = UnsafeMutablePointer(mutating: file.pointer(at: member.dataOffset + consumed).assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(piece)
                consumed += piece
            }
            let status = inflate(&stream, Z_NO_FLUSH)
            if status == Z_STREAM_END { finished = true; break }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw SelectError.corruptMember(file: path, member: member.name, reason: message)
            }
            if status == Z_BUF_ERROR && stream.avail_in == 0 && consumed >= member.compressedSize { break }
        }
        let n = capacity - Int(stream.avail_out)
        crc = crc32(crc, buffer.assumingMemoryBound(to: Bytef.self), uInt(n))
        produced += n
        if finished, member.crc32 != 0, UInt32(crc) != member.crc32 {
            throw SelectError.corruptMember(file: path, member: member.name, reason: "its CRC-32 does not match")
        }
        return n
    }

    /// Reads exactly `count` bytes (throws when the member ends first).
    func readExactly(into buffer: UnsafeMutableRawPointer, count: Int, what: String) throws {
        var got = 0
        let before = produced
        while got < count {
            let n = try read(into: buffer.advanced(by: got), capacity: count - got)
            if n == 0 { throw SelectError.truncated(file: file.path, needed: before + count, available: produced, what: what) }
            got += n
        }
    }
}
