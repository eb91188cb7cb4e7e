import CZlib
import Foundation

/// gzip input (`batch-0.jsonl.gz`, as Neuronpedia's exports and SAEDashboard's converter write it),
/// recognised by its magic bytes whatever the file is called. Concatenated members are read in turn.
enum Gzip {
    /// Larger than any real export batch (a few hundred MB inflated), small enough to refuse a gzip bomb.
    static let maxInflatedBytes = 4 << 30

    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b }

    enum Failure: Error, Equatable {
        case corrupt(String)
        case tooLarge(Int)
    }

    /// Inflates every gzip member of `bytes`. `limit` stops early (for sniffing a file's first line):
    /// at least `limit` bytes are returned when the data holds that many.
    static func inflate(_ bytes: [UInt8], limit: Int = maxInflatedBytes) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(min(limit, max(bytes.count * 4, 1 << 16)))
        var stream = z_stream()
        // 15 + 32: a zlib or gzip header, detected automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure.corrupt("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        try bytes.withUnsafeBufferPointer { input in
            var offset = 0
            while offset < input.count {
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + offset)
                stream.avail_in = UInt32(min(input.count - offset, Int(UInt32.max)))
                let before = Int(stream.avail_in)
                var ended = false
                repeat {
                    let status: Int32 = chunk.withUnsafeMutableBufferPointer { buffer in
                        stream.next_out = buffer.baseAddress
                        stream.avail_out = UInt32(buffer.count)
                        return CZlib.inflate(&stream, Z_NO_FLUSH)
                    }
                    let produced = chunk.count - Int(stream.avail_out)
                    out.append(contentsOf: chunk[0..<produced])
                    if out.count >= limit {
                        if limit < maxInflatedBytes { return }
                        throw Failure.tooLarge(limit)
                    }
                    switch status {
                    case Z_STREAM_END: ended = true
                    case Z_OK, Z_BUF_ERROR where stream.avail_in > 0 || stream.avail_out == 0: break
                    case Z_BUF_ERROR:
                        if limit < maxInflatedBytes { return } // sniffing the start of a file
                        throw Failure.corrupt("the compressed data ends early (the file is truncated)")
                    default:
                        let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                        throw Failure.corrupt(message)
                    }
                } while !ended && (stream.avail_in > 0 || stream.avail_out == 0)
                offset += before - Int(stream.avail_in)
                if ended {
                    // Another member may follow (`cat a.gz b.gz`); trailing zero padding ends the data.
                    if input[offset...].allSatisfy({ $0 == 0 }) { return }
                    guard inflateReset(&stream) == Z_OK else { throw Failure.corrupt("zlib could not reset") }
                } else if stream.avail_in == 0 && offset >= input.count {
                    if limit < maxInflatedBytes { return } // sniffing the start of a file
                    throw Failure.corrupt("the compressed data ends early (the file is truncated)")
                }
            }
        }
        return out
    }
}
