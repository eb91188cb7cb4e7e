import AtlasCore
import CTIFF

/// How a TIFF is written: the format print labs most often ask for at exhibition size.
public struct TIFFOptions: Sendable, Equatable {
    public enum Compression: String, Sendable, Codable, CaseIterable {
        case none, lzw, deflate

        var code: Int32 {
            switch self {
            case .none: return 0
            case .lzw: return 1
            case .deflate: return 2
            }
        }
    }
    /// 8 or 16 bits a sample.
    public var bitDepth: Int
    public var compression: Compression
    /// Deflate level 1…9.
    public var level: Int
    public var dotsPerInch: Double?
    public var iccProfile: ColorProfile?
    public var software: String?
    public var description: String?
    /// The input's file name (TIFF's DocumentName tag).
    public var documentName: String?

    public init(bitDepth: Int = 16, compression: Compression = .deflate, level: Int = 6, dotsPerInch: Double? = nil,
                iccProfile: ColorProfile? = ColorProfile.sRGB, software: String? = nil, description: String? = nil,
                documentName: String? = nil) {
        self.bitDepth = bitDepth
        self.compression = compression
        self.level = level
        self.dotsPerInch = dotsPerInch
        self.iccProfile = iccProfile
        self.software = software
        self.description = description
        self.documentName = documentName
    }
}

/// Streams RGB rows into a TIFF file (strips of about 256 KiB), so any page size is written band by band.
public final class TIFFWriter {
    private var writer: OpaquePointer?
    public let path: String
    public let width: Int
    public let height: Int
    public let bitDepth: Int
    public private(set) var rowsWritten = 0

    public init(path: String, width: Int, height: Int, options: TIFFOptions) throws {
        guard options.bitDepth == 8 || options.bitDepth == 16, width > 0, height > 0, (1...9).contains(options.level) else {
            throw GraphicsError(.tiff, operation: "starting", reason: "unsupported settings (\(width)×\(height), \(options.bitDepth)-bit, level \(options.level))", path: path)
        }
        self.path = path
        self.width = width
        self.height = height
        self.bitDepth = options.bitDepth
        var error = [CChar](repeating: 0, count: 256)
        var made: OpaquePointer?
        (options.iccProfile?.bytes ?? []).withUnsafeBufferPointer { icc in
            withOptionalCString(options.software) { software in
                withOptionalCString(options.description) { description in
                    withOptionalCString(options.documentName) { name in
                        var o = atlas_tiff_options(
                            width: UInt32(width), height: UInt32(height), bit_depth: Int32(options.bitDepth),
                            compression: options.compression.code, level: Int32(options.level),
                            dots_per_inch: options.dotsPerInch ?? 0,
                            icc_profile: options.iccProfile == nil ? nil : icc.baseAddress, icc_profile_length: icc.count,
                            software: software, description: description, document_name: name)
                        made = atlas_tiff_open(path, &o, &error, error.count)
                    }
                }
            }
        }
        guard let made else { throw GraphicsError(.tiff, operation: "opening", reason: String(cString: error), path: path) }
        writer = made
    }

    deinit { if let writer { atlas_tiff_abandon(writer) } }

    /// Writes `count` rows of RGB samples (bytes, or native-endian UInt16), `stride` bytes apart.
    public func write(rows: UnsafeRawPointer, count: Int, stride: Int) throws {
        guard let writer, rowsWritten + count <= height else {
            throw GraphicsError(.tiff, operation: "writing rows", reason: "more rows than the image height \(height)", path: path)
        }
        var error = [CChar](repeating: 0, count: 256)
        if atlas_tiff_write_rows(writer, rows, UInt32(count), stride, &error, error.count) != 0 {
            throw GraphicsError(.tiff, operation: "writing rows", reason: String(cString: error), path: path)
        }
        rowsWritten += count
    }

    /// Quantises and writes one band of an opaque float image.
    public func write(_ image: FloatImage) throws {
        let n = image.width * 3
        if bitDepth == 16 {
            let samples = image.values.map { UInt16(min(max($0, 0), 1) * 65535 + 0.5) }
            try samples.withUnsafeBytes { try write(rows: $0.baseAddress!, count: image.height, stride: n * 2) }
        } else {
            let bytes = image.values.map { UInt8(min(max($0, 0), 1) * 255 + 0.5) }
            try bytes.withUnsafeBytes { try write(rows: $0.baseAddress!, count: image.height, stride: n) }
        }
    }

    public func finish() throws {
        guard let w = writer else { return }
        guard rowsWritten == height else {
            throw GraphicsError(.tiff, operation: "finishing", reason: "only \(rowsWritten) of \(height) rows were written", path: path)
        }
        writer = nil
        var error = [CChar](repeating: 0, count: 256)
        if atlas_tiff_finish(w, &error, error.count) != 0 {
            throw GraphicsError(.tiff, operation: "finishing", reason: String(cString: error), path: path)
        }
    }
}

private func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let s else { return body(nil) }
    return s.withCString { body($0) }
}
