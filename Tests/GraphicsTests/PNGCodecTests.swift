import AtlasCore
import CPNG
import Foundation
import Testing
@testable import Graphics

private func temporaryFile(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-codec-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}

/// Bytes with structure (gradients every filter predicts differently) and hash noise on top.
private func samples(count: Int, seed: UInt32) -> [UInt8] {
    (0..<count).map { i in
        var v = UInt32(truncatingIfNeeded: i) &* 2_654_435_761 ^ seed
        v ^= v >> 15
        return UInt8(truncatingIfNeeded: (i % 97) * 3 + Int(v % 23))
    }
}

/// Reads a file with libpng alone (the general reader), as 8-bit RGBA.
private func readWithLibpng(_ path: String) throws -> (width: Int, height: Int, rgba: [UInt8]) {
    var raw = atlas_png_image()
    var error = [CChar](repeating: 0, count: 256)
    guard atlas_png_read(path, &raw, 0, &error, error.count) == 0 else { throw GraphicsError(.png, operation: "reading", reason: String(cString: error), path: path) }
    defer { atlas_png_free(&raw) }
    let n = Int(raw.width) * Int(raw.height) * 4
    return (Int(raw.width), Int(raw.height), Array(UnsafeBufferPointer(start: raw.rgba, count: n)))
}

/// Reads a file with the fast decoder alone; nil when it hands the file to libpng.
private func readFast(_ path: String) throws -> [UInt8]? {
    var raw = atlas_png_image()
    var error = [CChar](repeating: 0, count: 256)
    let status = atlas_png_read_fast(path, &raw, nil, 0, &error, error.count)
    defer { atlas_png_free(&raw) }
    if status == 2 { return nil }
    guard status == 0 else { throw GraphicsError(.png, operation: "reading", reason: String(cString: error), path: path) }
    return Array(UnsafeBufferPointer(start: raw.rgba, count: Int(raw.width) * Int(raw.height) * 4))
}

@Suite("PNG codec")
struct PNGCodecTests {
    /// Every filter type, RGB and RGBA, odd widths: the fast decoder and libpng read the same
    /// pixels, and both are the pixels written.
    @Test(arguments: PNGOptions.Filter.allCases)
    func fastDecoderAgreesWithLibpng(filter: PNGOptions.Filter) throws {
        for channels in [3, 4] {
            for width in [1, 2, 7, 33, 257] {
                let height = 9
                let bytes = samples(count: width * height * channels, seed: UInt32(width * 31 + channels))
                let path = temporaryFile("f.png")
                let w = try PNGWriter(path: path, width: width, height: height, channels: channels,
                                      options: PNGOptions(filter: filter, dotsPerInch: 300))
                try bytes.withUnsafeBytes { try w.write(rows: $0.baseAddress!, count: height, stride: width * channels) }
                try w.finish()
                var expected = [UInt8]()
                for p in 0..<(width * height) {
                    expected += bytes[(p * channels)..<(p * channels + channels)]
                    if channels == 3 { expected.append(255) }
                }
                let general = try readWithLibpng(path)
                let fast = try #require(try readFast(path))
                #expect(general.rgba == expected, "libpng, \(filter), \(channels) channels, width \(width)")
                #expect(fast == expected, "fast decoder, \(filter), \(channels) channels, width \(width)")
            }
        }
    }

    /// 16-bit files go to libpng (the fast path declines them) and keep each sample's high byte.
    @Test(arguments: [3, 4])
    func sixteenBitFilesReadThroughLibpng(channels: Int) throws {
        let width = 13, height = 6
        let values: [UInt16] = (0..<(width * height * channels)).map { UInt16(truncatingIfNeeded: $0 &* 40_503 &+ 977) }
        for filter in PNGOptions.Filter.allCases {
            let path = temporaryFile("g.png")
            let w = try PNGWriter(path: path, width: width, height: height, channels: channels, options: PNGOptions(bitDepth: 16, filter: filter))
            try values.withUnsafeBytes { try w.write(rows: $0.baseAddress!, count: height, stride: width * channels * 2) }
            try w.finish()
            #expect(try readFast(path) == nil)
            let back = try PNGFile.read(path)
            #expect(back.bitDepth == 16)
            var expected = [UInt8]()
            for p in 0..<(width * height) {
                expected += values[(p * channels)..<(p * channels + channels)].map { UInt8($0 >> 8) }
                if channels == 3 { expected.append(255) }
            }
            #expect(back.image.pixels == expected, "\(filter)")
        }
    }

    /// Every deflate strategy writes a file both decoders read back exactly, over several pieces; the
    /// strategy reaches zlib (each writes other bytes) and `rle` still finds the runs of a flat image.
    @Test func everyDeflateStrategyRoundTrips() throws {
        let width = 600, height = 400, channels = 3   // 720 KB of rows: two pieces
        var bytes = samples(count: width * height * channels, seed: 9)
        for i in 0..<(bytes.count / 2) { bytes[i] = 200 }   // a flat top half, noise below
        var sizes: [PNGOptions.Strategy: Int] = [:]
        var files: Set<Data> = []
        for strategy in PNGOptions.Strategy.allCases {
            let path = temporaryFile("s.png")
            let w = try PNGWriter(path: path, width: width, height: height, channels: channels,
                                  options: PNGOptions(compressionLevel: 3, filter: .average, strategy: strategy))
            #expect(w.pieceRows < height)
            try bytes.withUnsafeBytes { try w.write(rows: $0.baseAddress!, count: height, stride: width * channels) }
            try w.finish()
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            files.insert(data)
            sizes[strategy] = data.count
            var expected = [UInt8]()
            for p in 0..<(width * height) { expected += bytes[(p * 3)..<(p * 3 + 3)] + [255] }
            #expect(try readWithLibpng(path).rgba == expected, "\(strategy)")
            #expect(try readFast(path) == expected, "\(strategy)")
        }
        #expect(files.count == PNGOptions.Strategy.allCases.count)
        #expect(sizes[.rle]! < sizes[.huffman]! && sizes[.rle]! < width * height * channels * 3 / 4)
    }

    /// The image data is cut into pieces by geometry alone: the same bytes whatever the thread count
    /// and however the rows are handed over.
    @Test func bytesDoNotDependOnThreadsOrBanding() throws {
        let width = 700, height = 500, channels = 3   // 1 MB of rows: several pieces
        let bytes = samples(count: width * height * channels, seed: 5)
        var files: [Data] = []
        for (threads, band) in [(1, height), (2, 37), (4, 1), (3, 250)] {
            let path = temporaryFile("p.png")
            let w = try PNGWriter(path: path, width: width, height: height, channels: channels,
                                  options: PNGOptions(compressionLevel: 3, threads: threads))
            #expect(w.pieceRows < height)
            var y = 0
            while y < height {
                let n = min(band, height - y)
                try bytes.withUnsafeBytes { try w.write(rows: $0.baseAddress! + y * width * channels, count: n, stride: width * channels) }
                y += n
            }
            try w.finish()
            files.append(try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(try readFast(path).map { px in stride(from: 0, to: px.count, by: 4).allSatisfy { px[$0 + 3] == 255 } } == true)
        }
        #expect(Set(files).count == 1)
        let back = try readWithLibpng(temporaryFileWith(files[0]))
        #expect(back.width == width && back.height == height)
    }

    /// The sRGB ICC profile from icc-profiles-free is embedded (iCCP) when installed.
    @Test func embedsTheSRGBProfile() throws {
        let profile = try #require(ColorProfile.sRGB, "icc-profiles-free is not installed (make setup)")
        #expect(profile.bytes.count > 128)
        let path = temporaryFile("icc.png")
        try PNGFile.write(RGBAImage(width: 3, height: 3, fill: (1, 2, 3, 255)), to: path, options: PNGOptions())
        let back = try PNGFile.read(path)
        #expect(back.iccProfileName == "sRGB" && back.hasSRGB)
        let general = try PNGFile.read(path, maximumPixels: 9)
        #expect(general.iccProfileName == "sRGB")
    }

    /// A file declaring more pixels than the limit is refused from its header, before allocating.
    @Test func refusesImagesOverThePixelLimit() throws {
        let path = temporaryFile("big.png")
        try PNGFile.write(RGBAImage(width: 40, height: 30, fill: (0, 0, 0, 255)), to: path, options: PNGOptions())
        #expect(throws: GraphicsError.self) { try PNGFile.read(path, maximumPixels: 1_000) }
        #expect((try? PNGFile.read(path, maximumPixels: 1_200)) != nil)
        // A hostile header: 30 000 × 30 000 pixels declared by a file of a few bytes.
        var header = Data([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13]) + Data("IHDR".utf8)
        header += Data([0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30, 8, 2, 0, 0, 0, 0, 0, 0, 0])
        let hostile = temporaryFile("hostile.png")
        try header.write(to: URL(fileURLWithPath: hostile))
        do {
            _ = try PNGFile.read(hostile)
            Issue.record("a 30000×30000 header was read")
        } catch let error as GraphicsError {
            #expect("\(error)".contains("30000×30000"))
        }
    }

    /// The fast decoder checks the buffer it is given against the size the file declares now.
    @Test func fastDecoderChecksTheBufferCapacity() throws {
        let path = temporaryFile("cap.png")
        try PNGFile.write(RGBAImage(width: 8, height: 8, fill: (9, 9, 9, 255)), to: path, options: PNGOptions())
        var raw = atlas_png_image()
        var error = [CChar](repeating: 0, count: 256)
        var small = [UInt8](repeating: 0, count: 4 * 4 * 4)   // sized for a 4×4 file
        let status = small.withUnsafeMutableBufferPointer { atlas_png_read_fast(path, &raw, $0.baseAddress, $0.count, &error, error.count) }
        atlas_png_free(&raw)
        #expect(status == 1)
        #expect(String(cString: error).contains("8×8"))
        #expect(small.allSatisfy { $0 == 0 })
    }
}

private func temporaryFileWith(_ data: Data) throws -> String {
    let path = temporaryFile("copy.png")
    try data.write(to: URL(fileURLWithPath: path))
    return path
}

/// The streamed row reader (`atlas diff` reads files with it) against the whole-file readers.
@Suite("PNG row reader")
struct PNGRowReaderTests {
    /// Reads every row of `path` in batches of the given sizes (cycled).
    private func readRows(_ path: String, batches: [Int]) throws -> [UInt8] {
        let reader = try PNGRowReader(path: path)
        var pixels = [UInt8](repeating: 0, count: reader.width * reader.height * 4)
        var y = 0, k = 0
        try pixels.withUnsafeMutableBytes { out in
            while y < reader.height {
                let n = min(batches[k % batches.count], reader.height - y)
                try reader.read(rows: n, into: out.baseAddress! + y * reader.width * 4, stride: reader.width * 4)
                y += n
                k += 1
            }
        }
        return pixels
    }

    /// Every filter, RGB and RGBA, odd widths, rows asked for in uneven batches: the same pixels
    /// as the whole-file reader.
    @Test(arguments: PNGOptions.Filter.allCases)
    func streamedRowsMatchTheWholeFile(filter: PNGOptions.Filter) throws {
        for channels in [3, 4] {
            for (width, height) in [(1, 5), (7, 40), (257, 300)] {
                let bytes = samples(count: width * height * channels, seed: UInt32(width * 7 + channels))
                let path = temporaryFile("s.png")
                let w = try PNGWriter(path: path, width: width, height: height, channels: channels,
                                      options: PNGOptions(compressionLevel: 3, filter: filter, text: [("Comment", "x")]))
                try bytes.withUnsafeBytes { try w.write(rows: $0.baseAddress!, count: height, stride: width * channels) }
                try w.finish()
                let whole = try PNGFile.read(path).image.pixels
                #expect(try readRows(path, batches: [1, 3, 64, 2]) == whole, "\(filter), \(channels) channels, \(width)×\(height)")
                #expect(try readRows(path, batches: [height]) == whole)
            }
        }
    }

    /// 16-bit files take libpng's row reader: the same pixels as the whole-file reader.
    @Test func sixteenBitRowsThroughLibpng() throws {
        let width = 31, height = 70, channels = 4
        let values: [UInt16] = (0..<(width * height * channels)).map { UInt16(truncatingIfNeeded: $0 &* 40_503 &+ 977) }
        let path = temporaryFile("s16.png")
        let w = try PNGWriter(path: path, width: width, height: height, channels: channels, options: PNGOptions(bitDepth: 16))
        try values.withUnsafeBytes { try w.write(rows: $0.baseAddress!, count: height, stride: width * channels * 2) }
        try w.finish()
        #expect(try readRows(path, batches: [5, 1]) == PNGFile.read(path).image.pixels)
    }

    /// The pixel limit applies from the header; a truncated file fails with a sentence naming the file.
    @Test func refusesLargeHeadersAndTruncatedFiles() throws {
        let path = temporaryFile("t.png")
        try PNGFile.write(RGBAImage(width: 300, height: 200, pixels: samples(count: 300 * 200 * 4, seed: 3)), to: path,
                          options: PNGOptions(compressionLevel: 1))
        #expect(throws: GraphicsError.self) { try PNGRowReader(path: path, maximumPixels: 300 * 199) }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = temporaryFile("cut.png")
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: cut))
        let reader = try PNGRowReader(path: cut)
        var rows = [UInt8](repeating: 0, count: 300 * 200 * 4)
        do {
            try rows.withUnsafeMutableBytes { try reader.read(rows: 200, into: $0.baseAddress!, stride: 1200) }
            Issue.record("half a file read as a whole image")
        } catch let error as GraphicsError {
            #expect("\(error)".contains("cut.png") && "\(error)".contains("ends"), "\(error)")
        }
    }
}
