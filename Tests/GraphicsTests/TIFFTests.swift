import AtlasCore
import CTIFF
import Foundation
import Testing
@testable import Graphics

@Suite("TIFF")
struct TIFFTests {
    private func path(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-tiff-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    /// 16-bit samples survive every compression, and the ICC profile and resolution tags are there.
    @Test(arguments: TIFFOptions.Compression.allCases)
    func writes16BitRGBWithProfileAndResolution(compression: TIFFOptions.Compression) throws {
        let width = 37, height = 11
        let values = (0..<(width * height * 3)).map { Float(($0 * 7919) % 65536) / 65535 }
        let file = path("a.tiff")
        let w = try TIFFWriter(path: file, width: width, height: height,
                               options: TIFFOptions(bitDepth: 16, compression: compression, dotsPerInch: 300, software: "LatentAtlas test"))
        try w.write(FloatImage(width: width, height: 5, values: Array(values[0..<(width * 5 * 3)])))
        try w.write(FloatImage(width: width, height: 6, values: Array(values[(width * 5 * 3)...])))
        try w.finish()
        var info = atlas_tiff_info()
        var samples = [UInt16](repeating: 0, count: width * height * 3)
        var error = [CChar](repeating: 0, count: 256)
        let status = samples.withUnsafeMutableBufferPointer { atlas_tiff_read(file, &info, $0.baseAddress, $0.count, &error, error.count) }
        #expect(status == 0, "\(String(cString: error))")
        #expect(info.width == UInt32(width) && info.height == UInt32(height) && info.bit_depth == 16 && info.samples_per_pixel == 3)
        #expect(info.compression == [.none: 1, .lzw: 5, .deflate: 8][compression]!)
        #expect(compression == .none || info.predictor == 2)
        #expect(abs(info.x_resolution - 300) < 0.01 && info.resolution_unit == 2)
        if let profile = ColorProfile.sRGB { #expect(Int(info.icc_profile_length) == profile.bytes.count) }
        #expect(samples == values.map { UInt16($0 * 65535 + 0.5) })
    }

    @Test func refusesUnsupportedSettings() {
        #expect(throws: GraphicsError.self) { try TIFFWriter(path: path("b.tiff"), width: 4, height: 4, options: TIFFOptions(bitDepth: 12)) }
    }
}
