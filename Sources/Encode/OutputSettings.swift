import AtlasCore
import Graphics

/// A file format a render can be written as.
public enum OutputFormat: String, Codable, Sendable, CaseIterable {
    case png, pdf, svg
    /// The data browser page `<latent>.html` (the PNG is written with it: the page shows it).
    case html
    /// RGB TIFF at the output bit depth (16 for exhibition prints), with the ICC profile and resolution.
    case tiff
}

/// What a render writes and how.
public struct OutputSettings: Codable, Sendable, Equatable, SettingsChecked {
    public var formats: [OutputFormat]
    /// 8 or 16 bits per channel for PNG.
    public var bitDepth: Int
    /// zlib level 0…9: lower is faster and larger.
    public var compression: Int
    /// PNG row filter: `adaptive` (libpng tries each per row: smallest, slowest) or one of
    /// `none`, `sub`, `up`, `paeth`.
    public var filter: PNGOptions.Filter
    /// How deflate searches the PNG's (and the PDF image's) filtered rows: `rle` (runs only, about
    /// twice as fast as `default` on painted rasters and as small), `default` (zlib's search) or
    /// `huffman` (no search).
    public var deflateStrategy: PNGOptions.Strategy
    /// TIFF compression: `deflate` (smallest), `lzw` (what older RIPs read) or `none`; both
    /// compressions use the horizontal predictor.
    public var tiffCompression: TIFFOptions.Compression
    /// Also write each layer alone as `<latent>.<layer>.png`.
    public var layerFiles: Bool
    /// Peak memory one render may use, in MiB: streamed bands are sized to fit what the other stages
    /// leave, and a render that cannot fit is refused before it starts (see `RenderMemory`).
    public var memoryBudgetMb: Int

    public init(formats: [OutputFormat], bitDepth: Int, compression: Int, filter: PNGOptions.Filter = .adaptive,
                deflateStrategy: PNGOptions.Strategy = .default, tiffCompression: TIFFOptions.Compression = .deflate,
                layerFiles: Bool, memoryBudgetMb: Int) {
        self.filter = filter
        self.deflateStrategy = deflateStrategy
        self.tiffCompression = tiffCompression
        self.formats = formats
        self.bitDepth = bitDepth
        self.compression = compression
        self.layerFiles = layerFiles
        self.memoryBudgetMb = memoryBudgetMb
    }

    public func check(_ check: inout SettingsCheck) {
        check.require(!formats.isEmpty, "formats", "must list at least one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        check.require(bitDepth == 8 || bitDepth == 16, "bit_depth", "is \(bitDepth); allowed 8 or 16")
        check.range("compression", compression, 0...9)
        check.range("memory_budget_mb", memoryBudgetMb, 1...65_536)
    }
}
