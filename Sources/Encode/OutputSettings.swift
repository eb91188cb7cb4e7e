import AtlasCore

/// A file format a render can be written as.
public enum OutputFormat: String, Codable, Sendable, CaseIterable {
    case png, pdf, svg
}

/// What a render writes and how.
public struct OutputSettings: Codable, Sendable, Equatable, SettingsChecked {
    public var formats: [OutputFormat]
    /// 8 or 16 bits per channel for PNG.
    public var bitDepth: Int
    /// zlib level 0…9: lower is faster and larger.
    public var compression: Int

    public init(formats: [OutputFormat], bitDepth: Int, compression: Int) {
        self.formats = formats
        self.bitDepth = bitDepth
        self.compression = compression
    }

    public func check(_ check: inout SettingsCheck) {
        check.require(!formats.isEmpty, "formats", "must list at least one of png, pdf, svg")
        check.require(bitDepth == 8 || bitDepth == 16, "bit_depth", "is \(bitDepth); allowed 8 or 16")
        check.range("compression", compression, 0...9)
    }
}
