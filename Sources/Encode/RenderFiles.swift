import AtlasCore
import Foundation
import Graphics

/// Writes a render's files, each atomically (temporary file, then rename).
public enum RenderFiles {
    /// PNG options carrying the physical resolution, sRGB and provenance text chunks.
    public static func pngOptions(output: OutputSettings, dpi: Double, provenance: [(key: String, value: String)]) -> PNGOptions {
        PNGOptions(bitDepth: output.bitDepth, compressionLevel: output.compression, filter: output.filter,
                   strategy: output.deflateStrategy, dotsPerInch: dpi, srgb: true,
                   text: [("Software", "\(ToolVersion.name) \(ToolVersion.current)")] + provenance)
    }

    /// TIFF options with the same resolution, profile and provenance as the PNG.
    public static func tiffOptions(output: OutputSettings, dpi: Double, title: String, source: String) -> TIFFOptions {
        TIFFOptions(bitDepth: output.bitDepth, compression: output.tiffCompression, level: max(1, output.compression),
                    dotsPerInch: dpi, software: "\(ToolVersion.name) \(ToolVersion.current)", description: title, documentName: source)
    }

    public static func writePNG(_ image: FloatImage, to path: String, options: PNGOptions) throws {
        try AtomicFile.write(to: path) { temp in try PNGFile.write(image, to: temp, options: options) }
    }

    public static func writeManifest(_ manifest: Manifest, to path: String) throws {
        try AtomicFile.write(try manifest.jsonData(), to: path)
    }
}
