import AtlasCore
import CPNG
#if canImport(Glibc)
import Glibc
#endif

/// How a PNG is written: depth, compression and the metadata chunks print shops and provenance need.
public struct PNGOptions: Sendable, Equatable {
    public enum Filter: String, Sendable, Codable, CaseIterable {
        case adaptive, none, sub, up, paeth

        var code: Int32 {
            switch self {
            case .adaptive: return 0
            case .none: return 1
            case .sub: return 2
            case .up: return 3
            case .paeth: return 4
            }
        }
    }
    public var bitDepth: Int
    public var compressionLevel: Int
    public var filter: Filter
    /// Physical resolution written as a pHYs chunk; nil writes none.
    public var dotsPerInch: Double?
    public var srgb: Bool
    /// iTXt chunks (keyword, UTF-8 value), in order.
    public var text: [(key: String, value: String)]

    public init(bitDepth: Int = 8, compressionLevel: Int = 6, filter: Filter = .adaptive, dotsPerInch: Double? = nil,
                srgb: Bool = true, text: [(key: String, value: String)] = []) {
        self.bitDepth = bitDepth
        self.compressionLevel = compressionLevel
        self.filter = filter
        self.dotsPerInch = dotsPerInch
        self.srgb = srgb
        self.text = text
    }

    public static func == (a: PNGOptions, b: PNGOptions) -> Bool {
        a.bitDepth == b.bitDepth && a.compressionLevel == b.compressionLevel && a.filter == b.filter
            && a.dotsPerInch == b.dotsPerInch && a.srgb == b.srgb
            && a.text.map(\.key) == b.text.map(\.key) && a.text.map(\.value) == b.text.map(\.value)
    }
}

/// Streams rows into a PNG file, so images larger than memory can be written band by band.
public final class PNGWriter {
    private var writer: OpaquePointer?
    public let path: String
    public let width: Int
    public let height: Int
    public let channels: Int
    public let bitDepth: Int
    public private(set) var rowsWritten = 0

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
        var made: OpaquePointer?
        keys.map { UnsafePointer($0) }.withUnsafeBufferPointer { k in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { v in
                var o = atlas_png_options(
                    width: UInt32(width), height: UInt32(height), bit_depth: Int32(options.bitDepth),
                    channels: Int32(channels), compression_level: Int32(options.compressionLevel),
                    filter: options.filter.code, dots_per_inch: options.dotsPerInch ?? 0,
                    srgb: options.srgb ? 1 : 0, text_keys: k.baseAddress, text_values: v.baseAddress,
                    text_count: Int32(options.text.count))
                made = atlas_png_writer_open(path, &o, &error, error.count)
            }
        }
        guard let made else { throw GraphicsError(.png, operation: "opening", reason: String(cString: error), path: path) }
        writer = made
    }

    deinit { if let writer { atlas_png_writer_abandon(writer) } }

    /// Writes `count` rows from `rows` (8-bit bytes, or native-endian UInt16 samples), `stride` bytes apart.
    public func write(rows: UnsafeRawPointer, count: Int, stride: Int) throws {
        guard let writer, rowsWritten + count <= height else {
            throw GraphicsError(.png, operation: "writing rows", reason: "more rows than the image height \(height)", path: path)
        }
        var error = [CChar](repeating: 0, count: 256)
        if atlas_png_writer_write_rows(writer, rows, UInt32(count), stride, &error, error.count) != 0 {
            throw GraphicsError(.png, operation: "writing rows", reason: String(cString: error), path: path)
        }
        rowsWritten += count
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

/// A decoded PNG with the metadata LatentAtlas writes.
public struct PNGContents: Sendable {
    public var image: RGBAImage
    public var bitDepth: Int
    public var dotsPerInch: Double?
    public var hasSRGB: Bool
    public var text: [String: String]
}

public enum PNGFile {
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
        try writeRows(of: image, to: w)
        try w.finish()
    }

    /// Quantises and streams the rows of one band of a float image.
    public static func writeRows(of image: FloatImage, to w: PNGWriter) throws {
        let n = image.width * 3
        if w.bitDepth == 16 {
            var row = [UInt16](repeating: 0, count: n)
            for y in 0..<image.height {
                for i in 0..<n { row[i] = UInt16(min(max(image.values[y * n + i], 0), 1) * 65535 + 0.5) }
                try row.withUnsafeBytes { try w.write(rows: $0.baseAddress!, count: 1, stride: n * 2) }
            }
        } else {
            var row = [UInt8](repeating: 0, count: n)
            for y in 0..<image.height {
                for i in 0..<n { row[i] = UInt8(min(max(image.values[y * n + i], 0), 1) * 255 + 0.5) }
                try row.withUnsafeBytes { try w.write(rows: $0.baseAddress!, count: 1, stride: n) }
            }
        }
    }

    /// Reads several PNGs at once on at most `threads` threads (decoding is most of the time in a diff).
    public static func read(_ paths: [String], threads: Int = Parallel.allCores) throws -> [PNGContents] {
        try Parallel.map(paths.count, threads: threads) { i in Result { try read(paths[i]) } }.map { try $0.get() }
    }

    /// Reads any PNG as 8-bit RGBA with its metadata.
    public static func read(_ path: String) throws -> PNGContents {
        var raw = atlas_png_image()
        var error = [CChar](repeating: 0, count: 256)
        var status: Int32 = 2
        var pixels: [UInt8] = []
        var w: UInt32 = 0, h: UInt32 = 0
        // The common case decodes straight into the image's own storage.
        if atlas_png_header(path, &w, &h) == 0, w > 0, h > 0, UInt64(w) * UInt64(h) <= 1 << 31 {
            let count = Int(w) * Int(h) * 4
            pixels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialised in
                status = atlas_png_read_fast(path, &raw, buffer.baseAddress, &error, error.count)
                initialised = status == 0 ? count : 0
            }
        }
        if status == 2 {
            status = atlas_png_read(path, &raw, &error, error.count)
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
        return PNGContents(image: RGBAImage(width: width, height: height, pixels: pixels), bitDepth: Int(raw.bit_depth),
                           dotsPerInch: raw.dots_per_inch > 0 ? raw.dots_per_inch : nil,
                           hasSRGB: raw.has_srgb != 0, text: text)
    }
}
