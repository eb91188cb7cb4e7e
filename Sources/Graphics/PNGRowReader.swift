import AtlasCore
import CPNG

/// Reads a PNG's rows in order, a band at a time, as 8-bit RGBA: the file is read in pieces and its
/// image data inflated as a stream, so memory stays near a megabyte whatever the image's size
/// (`atlas diff` compares 16384² files this way). 8-bit RGB/RGBA files take the streamed path;
/// other PNGs go through libpng's row reader, and an interlaced one is read whole when opened.
///
/// One reader is used from one thread at a time.
public final class PNGRowReader {
    public let path: String
    public let width: Int
    public let height: Int
    public private(set) var rowsRead = 0
    private var reader: OpaquePointer?

    /// Opens `path` and reads its header; a file declaring more than `maximumPixels` pixels is
    /// refused before anything is allocated for it.
    public init(path: String, maximumPixels: Int = PNGFile.defaultMaximumPixels) throws {
        self.path = path
        var error = [CChar](repeating: 0, count: 256)
        var w: UInt32 = 0, h: UInt32 = 0
        guard let opened = atlas_png_reader_open(path, UInt64(max(maximumPixels, 0)), &w, &h, &error, error.count) else {
            var reason = String(cString: error)
            if reason.hasPrefix("refused") { reason += " (raise it with --max-pixels)" }
            throw GraphicsError(.png, operation: "reading", reason: reason, path: path)
        }
        reader = opened
        width = Int(w)
        height = Int(h)
    }

    deinit { atlas_png_reader_close(reader) }

    /// The next `count` rows into `rows`, each `width × 4` bytes, `stride` bytes apart.
    public func read(rows count: Int, into rows: UnsafeMutableRawPointer, stride: Int) throws {
        guard count > 0 else { return }
        guard count <= height - rowsRead, stride >= width * 4 else {
            throw GraphicsError(.png, operation: "reading", reason: "asked for rows \(rowsRead)..<\(rowsRead + count) of \(height) (stride \(stride))", path: path)
        }
        var error = [CChar](repeating: 0, count: 256)
        if atlas_png_reader_read(reader, rows.assumingMemoryBound(to: UInt8.self), stride, UInt32(count), &error, error.count) != 0 {
            throw GraphicsError(.png, operation: "reading", reason: "\(String(cString: error)) (row \(rowsRead) or after)", path: path)
        }
        rowsRead += count
    }
}
