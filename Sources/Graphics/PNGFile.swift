#if canImport(Glibc)
import Glibc
#endif
import AtlasCore
import CPNG
import Dispatch

/// How a PNG is written: depth, compression and the metadata chunks print shops and provenance need.
public struct PNGOptions: Sendable, Equatable {
    public enum Filter: String, Sendable, Codable, CaseIterable {
        /// Per row, the filter whose output has the smallest sum of absolute values (libpng's heuristic).
        case adaptive
        case none, sub, up, average, paeth

        var code: Int32 {
            switch self {
            case .adaptive: return 0
            case .none: return 1
            case .sub: return 2
            case .up: return 3
            case .average: return 4
            case .paeth: return 5
            }
        }
    }
    /// How deflate looks for repeats in the filtered rows.
    public enum Strategy: String, Sendable, Codable, CaseIterable {
        /// zlib's own search (its filtered strategy for filtered rows, as libpng does).
        case `default`
        /// Runs of the same byte only (zlib's Z_RLE): on painted rasters about twice as fast as
        /// `default` at level 3 and as small (`make bench ARGS=exhibition` prints the table).
        case rle
        /// No repeats, Huffman codes only: faster still, larger.
        case huffman

        var code: Int32 {
            switch self {
            case .default: return 0
            case .rle: return 1
            case .huffman: return 2
            }
        }
    }
    public var bitDepth: Int
    public var compressionLevel: Int
    public var filter: Filter
    public var strategy: Strategy
    /// Physical resolution written as a pHYs chunk; nil writes none.
    public var dotsPerInch: Double?
    /// Tags the image as sRGB: with the sRGB ICC profile embedded (iCCP) when `iccProfile` is set,
    /// else with an sRGB chunk.
    public var srgb: Bool
    /// The profile embedded when `srgb` is set (nil: an sRGB chunk instead).
    public var iccProfile: ColorProfile?
    /// iTXt chunks (keyword, UTF-8 value), in order.
    public var text: [(key: String, value: String)]
    /// Threads compressing the image data. The file's bytes do not depend on it.
    public var threads: Int

    public init(bitDepth: Int = 8, compressionLevel: Int = 6, filter: Filter = .adaptive, strategy: Strategy = .default,
                dotsPerInch: Double? = nil, srgb: Bool = true, iccProfile: ColorProfile? = ColorProfile.sRGB,
                text: [(key: String, value: String)] = [], threads: Int = Parallel.allCores) {
        self.bitDepth = bitDepth
        self.compressionLevel = compressionLevel
        self.filter = filter
        self.strategy = strategy
        self.dotsPerInch = dotsPerInch
        self.srgb = srgb
        self.iccProfile = iccProfile
        self.text = text
        self.threads = threads
    }

    /// Equal when they write the same bytes (the thread count is left out).
    public static func == (a: PNGOptions, b: PNGOptions) -> Bool {
        a.bitDepth == b.bitDepth && a.compressionLevel == b.compressionLevel && a.filter == b.filter && a.strategy == b.strategy
            && a.dotsPerInch == b.dotsPerInch && a.srgb == b.srgb && a.iccProfile == b.iccProfile
            && a.text.map(\.key) == b.text.map(\.key) && a.text.map(\.value) == b.text.map(\.value)
    }
}

/// Streams rows into a PNG file, so images larger than memory can be written band by band; the
/// image data is compressed on several threads (`FilteredDeflateStream`).
public final class PNGWriter {
    private var writer: OpaquePointer?
    private var stream: FilteredDeflateStream!
    public let path: String
    public let width: Int
    public let height: Int
    public let channels: Int
    public let bitDepth: Int
    public var rowsWritten: Int { stream.rowsWritten }
    /// Rows per independently deflated piece.
    var pieceRows: Int { stream.pieceRows }

    public init(path: String, width: Int, height: Int, channels: Int, options: PNGOptions) throws {
        guard options.bitDepth == 8 || options.bitDepth == 16, channels == 3 || channels == 4,
              width > 0, height > 0, (0...9).contains(options.compressionLevel) else {
            throw GraphicsError(.png, operation: "starting", reason: "unsupported settings (\(width)×\(height), \(channels) channels, \(options.bitDepth)-bit, level \(options.compressionLevel))", path: path)
        }
        self.path = path
        self.width = width
        self.height = height
        self.channels = channels
        self.bitDepth = options.bitDepth
        var error = [CChar](repeating: 0, count: 256)
        let keys = options.text.map { strdup($0.key) }
        let values = options.text.map { strdup($0.value) }
        defer { (keys + values).forEach { free($0) } }
        guard keys.allSatisfy({ $0 != nil }), values.allSatisfy({ $0 != nil }) else {
            throw GraphicsError(.png, operation: "opening", reason: "out of memory", path: path)
        }
        let profile = options.srgb ? options.iccProfile : nil
        var made: OpaquePointer?
        keys.map { UnsafePointer($0) }.withUnsafeBufferPointer { k in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { v in
                (profile?.bytes ?? []).withUnsafeBufferPointer { icc in
                    (profile?.name ?? "").withCString { iccName in
                        var o = atlas_png_options(
                            width: UInt32(width), height: UInt32(height), bit_depth: Int32(options.bitDepth),
                            channels: Int32(channels), compression_level: Int32(options.compressionLevel),
                            filter: options.filter.code, dots_per_inch: options.dotsPerInch ?? 0,
                            srgb: options.srgb ? 1 : 0, icc_profile: profile == nil ? nil : icc.baseAddress,
                            icc_profile_length: icc.count, icc_name: iccName,
                            text_keys: k.baseAddress, text_values: v.baseAddress, text_count: Int32(options.text.count))
                        made = atlas_png_writer_open(path, &o, &error, error.count)
                    }
                }
            }
        }
        guard let made else { throw GraphicsError(.png, operation: "opening", reason: String(cString: error), path: path) }
        writer = made
        stream = FilteredDeflateStream(width: width, height: height, channels: channels, bitDepth: options.bitDepth,
                                       level: options.compressionLevel, filter: options.filter, strategy: options.strategy,
                                       threads: options.threads, path: path) { bytes in
            var error = [CChar](repeating: 0, count: 256)
            if atlas_png_writer_write_data(made, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count, &error, error.count) != 0 {
                throw GraphicsError(.png, operation: "writing image data", reason: String(cString: error), path: path)
            }
        }
    }

    deinit { if let writer { atlas_png_writer_abandon(writer) } }

    /// Writes `count` rows from `rows` (8-bit bytes, or native-endian UInt16 samples), `stride` bytes apart.
    public func write(rows: UnsafeRawPointer, count: Int, stride: Int) throws {
        guard writer != nil else {
            throw GraphicsError(.png, operation: "writing rows", reason: "the file is already finished", path: path)
        }
        try stream.write(rows: rows, count: count, stride: stride)
    }

    /// Finishes the file. Every row must have been written.
    public func finish() throws {
        guard let w = writer else { return }
        guard rowsWritten == height else {
            throw GraphicsError(.png, operation: "finishing", reason: "only \(rowsWritten) of \(height) rows were written", path: path)
        }
        writer = nil
        var error = [CChar](repeating: 0, count: 256)
        if atlas_png_writer_finish(w, &error, error.count) != 0 {
            throw GraphicsError(.png, operation: "finishing", reason: String(cString: error), path: path)
        }
    }
}

/// One zlib stream of PNG-filtered rows (what a PNG's IDAT chunks hold, and what a PDF image with
/// `/Predictor 15` holds), compressed on several threads the way pigz does it: the rows are cut
/// into pieces of a fixed size (set by the image's geometry alone, so the bytes never depend on the
/// thread count or on how the caller bands the rows), each piece is filtered and deflated on its own
/// and ends on a byte boundary, and the pieces are concatenated after the zlib header, followed by
/// the Adler-32 combined from the pieces'. Bytes go to `sink` in order as they are ready.
public final class FilteredDeflateStream {
    public let width: Int
    public let height: Int
    public let channels: Int
    public let bitDepth: Int
    public private(set) var rowsWritten = 0
    /// Compressed bytes handed to the sink so far.
    public private(set) var compressedBytes = 0
    private let level: Int32
    private let filter: Int32
    private let strategy: Int32
    private let threads: Int
    private let path: String
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    /// Bytes of one unfiltered row.
    private let rowBytes: Int
    /// Rows per independently deflated piece.
    let pieceRows: Int
    /// Rows given but not yet compressed, as given (native byte order).
    private var pending: [UInt8] = []
    /// The last row already compressed: the "prior" row of the next piece's first row.
    private var prior: [UInt8] = []
    private var adler: UInt32 = 1

    /// Raw bytes per piece: big enough that restarting the compressor costs little (<1 %), small
    /// enough that a poster has a couple of dozen pieces to share out.
    static let pieceBytes = 1 << 19

    /// `path` names the file in errors.
    public init(width: Int, height: Int, channels: Int, bitDepth: Int, level: Int, filter: PNGOptions.Filter,
                strategy: PNGOptions.Strategy = .default, threads: Int, path: String, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.width = width
        self.height = height
        self.channels = channels
        self.bitDepth = bitDepth
        self.level = Int32(level)
        self.filter = filter.code
        self.strategy = strategy.code
        self.threads = max(1, threads)
        self.path = path
        self.sink = sink
        self.rowBytes = width * channels * bitDepth / 8
        self.pieceRows = max(1, Self.pieceBytes / max(rowBytes, 1))
        pending.reserveCapacity(min(height, pieceRows * self.threads) * rowBytes)
    }

    /// Writes `count` rows from `rows` (8-bit bytes, or native-endian UInt16 samples), `stride`
    /// bytes apart; the stream ends with the image's last row.
    public func write(rows: UnsafeRawPointer, count: Int, stride: Int) throws {
        guard rowsWritten + count <= height else {
            throw GraphicsError(.png, operation: "writing rows", reason: "more rows than the image height \(height)", path: path)
        }
        if rowsWritten == 0 && count > 0 {
            // zlib header: deflate with a 32 KiB window, the level class zlib itself would record.
            let flevel: UInt8 = level < 2 ? 0 : level < 6 ? 1 : level == 6 ? 2 : 3
            var header: [UInt8] = [0x78, flevel << 6]
            header[1] += UInt8((31 - (Int(header[0]) * 256 + Int(header[1])) % 31) % 31)
            try emit(header)
        }
        var bytes = rows.assumingMemoryBound(to: UInt8.self)
        var count = count
        // Whole pieces straight from the caller's rows when nothing is pending: no copy of the band.
        if pending.isEmpty && stride == rowBytes && count >= pieceRows {
            let ends = rowsWritten + count == height
            let direct = ends ? count : count / pieceRows * pieceRows
            try compress(bytes, rows: direct, endsImage: ends)
            rowsWritten += direct
            bytes += direct * rowBytes
            count -= direct
        }
        if stride == rowBytes {
            pending.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count * rowBytes))
        } else {
            for r in 0..<count { pending.append(contentsOf: UnsafeBufferPointer(start: bytes + r * stride, count: rowBytes)) }
        }
        rowsWritten += count
        let rowsPending = pending.count / max(rowBytes, 1)
        if rowsWritten == height {
            if rowsPending > 0 { try compressPending(rows: rowsPending, endsImage: true) }
            try emit([UInt8(adler >> 24), UInt8(adler >> 16 & 0xff), UInt8(adler >> 8 & 0xff), UInt8(adler & 0xff)])
        } else if rowsPending >= pieceRows * threads {
            try compressPending(rows: rowsPending / pieceRows * pieceRows, endsImage: false)
        }
    }

    private func compressPending(rows: Int, endsImage: Bool) throws {
        try pending.withUnsafeBufferPointer { try compress($0.baseAddress!, rows: rows, endsImage: endsImage) }
        pending.removeFirst(rows * rowBytes)
    }

    private func emit(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try sink($0) }
        compressedBytes += bytes.count
    }

    /// Deflates `rows` rows at `base` (whole pieces, or everything left at the end) on `threads`
    /// threads and hands the pieces to the sink in order; the last of them becomes the prior row.
    private func compress(_ base: UnsafePointer<UInt8>, rows: Int, endsImage: Bool) throws {
        guard rows > 0 else { return }
        let count = (rows + pieceRows - 1) / pieceRows
        let rowBytes = rowBytes, pieceRows = pieceRows, channels = Int32(channels), depth = Int32(bitDepth)
        let level = level, filter = filter, strategy = strategy
        let results: [(piece: atlas_png_piece, error: String?)] = prior.withUnsafeBufferPointer { above in
            let top = above.isEmpty ? nil : above.baseAddress
            return Parallel.map(count, threads: threads) { i in
                let first = i * pieceRows, n = min(pieceRows, rows - first)
                var piece = atlas_png_piece()
                var error = [CChar](repeating: 0, count: 256)
                let status = atlas_png_deflate_rows(base + first * rowBytes, rowBytes, i == 0 ? top : base + (first - 1) * rowBytes,
                                                    UInt32(n), rowBytes, channels, depth, filter, level, strategy,
                                                    endsImage && i == count - 1 ? 1 : 0, &piece, &error, error.count)
                return (piece, status == 0 ? nil : String(cString: error))
            }
        }
        defer { for var r in results { atlas_png_piece_free(&r.piece) } }
        if let failed = results.first(where: { $0.error != nil }) {
            throw GraphicsError(.png, operation: "compressing rows", reason: failed.error!, path: path)
        }
        for r in results {
            try sink(UnsafeRawBufferPointer(start: r.piece.data, count: r.piece.length))
            compressedBytes += r.piece.length
            adler = atlas_png_adler32_combine(adler, r.piece.adler, r.piece.raw_length)
        }
        prior = Array(UnsafeBufferPointer(start: base + (rows - 1) * rowBytes, count: rowBytes))
    }
}

/// A decoded PNG with the metadata LatentAtlas writes.
public struct PNGContents: Sendable {
    public var image: RGBAImage
    public var bitDepth: Int
    public var dotsPerInch: Double?
    /// Tagged sRGB: by an sRGB chunk or an embedded ICC profile named sRGB.
    public var hasSRGB: Bool
    /// The name of the embedded ICC profile (iCCP), if any.
    public var iccProfileName: String?
    public var text: [String: String]
}

public enum PNGFile {
    /// Pixels a file may declare before reading it is refused (`atlas diff --max-pixels` raises it):
    /// 16384 × 16384, 1 GiB of RGBA, so a small hostile file cannot make the reader allocate without bound.
    public static let defaultMaximumPixels = 16384 * 16384

    /// Writes an RGBA image (8-bit).
    public static func write(_ image: RGBAImage, to path: String, options: PNGOptions) throws {
        var o = options
        o.bitDepth = 8
        let w = try PNGWriter(path: path, width: image.width, height: image.height, channels: 4, options: o)
        try image.pixels.withUnsafeBytes { try w.write(rows: $0.baseAddress!, count: image.height, stride: image.width * 4) }
        try w.finish()
    }

    /// Writes an opaque float image as 8- or 16-bit RGB.
    public static func write(_ image: FloatImage, to path: String, options: PNGOptions) throws {
        let w = try PNGWriter(path: path, width: image.width, height: image.height, channels: 3, options: options)
        try writeRows(of: image, to: w, threads: options.threads)
        try w.finish()
    }

    /// Quantises (on `threads` threads) and streams the rows of one band of a float image.
    public static func writeRows(of image: FloatImage, to w: PNGWriter, threads: Int = Parallel.allCores) throws {
        try writeRows(of: image, bitDepth: w.bitDepth, threads: threads) { try w.write(rows: $0, count: $1, stride: $2) }
    }

    /// Quantises one band of an opaque float image to 8- or 16-bit (native-endian) RGB rows on
    /// `threads` threads and hands them to `write(rows, count, stride)`.
    public static func writeRows(of image: FloatImage, bitDepth: Int, threads: Int,
                                 _ write: (UnsafeRawPointer, Int, Int) throws -> Void) throws {
        let rows = quantized(image, bitDepth: bitDepth, threads: threads)
        try rows.withUnsafeBytes { try write($0.baseAddress!, image.height, image.width * 3 * bitDepth / 8) }
    }

    /// An opaque float image as 8- or 16-bit RGB rows, the bytes a PNG row holds before filtering
    /// (16-bit samples native-endian), quantised on `threads` threads.
    public static func quantized(_ image: FloatImage, bitDepth: Int, threads: Int) -> [UInt8] {
        let n = image.width * 3, rows = image.height
        let chunk = max(1, (1 << 16) / max(n, 1))
        let bytes = bitDepth / 8
        return [UInt8](unsafeUninitializedCapacity: n * rows * bytes) { buffer, initialised in
            let base = buffer.baseAddress!
            image.values.withUnsafeBufferPointer { v in
                _ = Parallel.map(rows: 0..<rows, bandHeight: chunk, threads: threads) { band in
                    if bytes == 2 {
                        let out = UnsafeMutableRawPointer(base).assumingMemoryBound(to: UInt16.self)
                        for i in (band.lowerBound * n)..<(band.upperBound * n) { out[i] = UInt16(min(max(v[i], 0), 1) * 65535 + 0.5) }
                    } else {
                        for i in (band.lowerBound * n)..<(band.upperBound * n) { base[i] = UInt8(min(max(v[i], 0), 1) * 255 + 0.5) }
                    }
                }
            }
            initialised = n * rows * bytes
        }
    }

    /// Reads several PNGs at once, one per core (decoding is most of the time in a diff).
    public static func read(_ paths: [String], maximumPixels: Int = defaultMaximumPixels) throws -> [PNGContents] {
        let results = Parallel.map(paths.count, threads: Parallel.allCores) { i in
            Result { try read(paths[i], maximumPixels: maximumPixels) }
        }
        return try results.map { try $0.get() }
    }

    /// Width and height from the file's header, without reading the rest.
    public static func size(_ path: String) throws -> (width: Int, height: Int) {
        var w: UInt32 = 0, h: UInt32 = 0
        guard atlas_png_header(path, &w, &h) == 0 else {
            throw GraphicsError(.png, operation: "reading", reason: "no PNG header (IHDR) at the start of the file", path: path)
        }
        return (Int(w), Int(h))
    }

    /// Reads any PNG as 8-bit RGBA with its metadata. A file declaring more than `maximumPixels`
    /// pixels is refused before anything is allocated for it.
    public static func read(_ path: String, maximumPixels: Int = defaultMaximumPixels) throws -> PNGContents {
        var raw = atlas_png_image()
        var error = [CChar](repeating: 0, count: 256)
        var status: Int32 = 2
        var pixels: [UInt8] = []
        var w: UInt32 = 0, h: UInt32 = 0
        if atlas_png_header(path, &w, &h) == 0, UInt64(w) * UInt64(h) > UInt64(maximumPixels) {
            throw GraphicsError(.png, operation: "reading",
                                reason: "the header declares \(w)×\(h) = \(UInt64(w) * UInt64(h)) pixels, more than the limit of \(maximumPixels) (raise it with --max-pixels)",
                                path: path)
        }
        // The common case decodes straight into the image's own storage, sized from the header;
        // the decoder checks the file still declares that size when it reads it.
        if w > 0, h > 0 {
            let count = Int(w) * Int(h) * 4
            pixels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialised in
                status = atlas_png_read_fast(path, &raw, buffer.baseAddress, count, &error, error.count)
                initialised = status == 0 ? count : 0
            }
        }
        if status == 2 {
            status = atlas_png_read(path, &raw, UInt64(maximumPixels), &error, error.count)
            if status == 0 { pixels = Array(UnsafeBufferPointer(start: raw.rgba, count: Int(raw.width) * Int(raw.height) * 4)) }
        }
        guard status == 0 else {
            throw GraphicsError(.png, operation: "reading", reason: String(cString: error), path: path)
        }
        defer { atlas_png_free(&raw) }
        let width = Int(raw.width), height = Int(raw.height)
        var text: [String: String] = [:]
        for i in 0..<Int(raw.text_count) {
            text[String(cString: raw.text_keys[i]!)] = String(cString: raw.text_values[i]!)
        }
        let iccName: String? = raw.has_iccp != 0 ? withUnsafeBytes(of: raw.icc_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) } : nil
        return PNGContents(image: RGBAImage(width: width, height: height, pixels: pixels), bitDepth: Int(raw.bit_depth),
                           dotsPerInch: raw.dots_per_inch > 0 ? raw.dots_per_inch : nil,
                           hasSRGB: raw.has_srgb != 0 || iccName?.lowercased().hasPrefix("srgb") == true,
                           iccProfileName: iccName, text: text)
    }
}
