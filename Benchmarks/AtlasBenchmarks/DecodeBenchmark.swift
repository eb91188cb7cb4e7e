import AtlasCore
import Decode
import Foundation

/// Decode benchmark and gallery.
///
///     AtlasBenchmarks decode                 timings at 2048² (and the scaling table)
///     AtlasBenchmarks decode 8192            one streamed 8192² run with peak memory
///     AtlasBenchmarks decode gallery <dir>   example renders as PNG
enum DecodeBenchmark {
    static func run(arguments: [String]) {
        switch arguments.first {
        case "8192": large()
        case "gallery": gallery(directory: arguments.count > 1 ? arguments[1] : "docs/decode")
        default: standard()
        }
    }

    // MARK: Figures

    private static func standard() {
        let decoder = LatentDecoder(settings: .standard, palette: paper)
        print("Decode, 250 regions, \(DecodeSettings.standard.steps) steps, latent scale \(DecodeSettings.standard.latentScale)")
        print("size      threads  total s  planning  conditioning  denoise  fusion  decode")
        for size in [1024, 2048, 4096] {
            measure(decoder, size: size, threads: 2)
        }
        measure(decoder, size: 2048, threads: 1)
        print("\nsteps scaling at 2048² (2 threads)")
        for steps in [10, 20, 40] {
            var settings = DecodeSettings.standard
            settings.steps = steps
            settings.bootstrapSteps = min(settings.bootstrapSteps, steps)
            let start = Date()
            _ = try! LatentDecoder(settings: settings, palette: paper).paint(regions: atlas(size: 2048), width: 2048, height: 2048, discCenter: SIMD2(Double(2048) / 2, Double(2048) / 2), discRadius: Double(2048) * 0.45, seed: 7)
            print("steps \(steps): \(format(-start.timeIntervalSinceNow)) s (sampler only)")
        }
    }

    private static func measure(_ base: LatentDecoder, size: Int, threads: Int) {
        var decoder = base
        decoder.maxThreads = threads
        let regions = atlas(size: size)
        let start = Date()
        let painting = try! decoder.paint(regions: regions, width: size, height: size, discCenter: SIMD2(Double(size) / 2, Double(size) / 2), discRadius: Double(size) * 0.45, seed: 7)
        let decodeStart = Date()
        streamTiles(painting, threads: threads)
        let decode = -decodeStart.timeIntervalSinceNow
        let total = -start.timeIntervalSinceNow
        let t = painting.timings
        print("\(size)²".padding(toLength: 10, withPad: " ", startingAt: 0)
              + "\(threads)        \(format(total))    \(format(t.planning))      \(format(t.conditioning))         \(format(t.denoise))    \(format(t.fusion))  \(format(decode))")
    }

    private static func large() {
        let size = 8192
        let regions = atlas(size: size)
        let start = Date()
        let painting = try! LatentDecoder(settings: .standard, palette: paper).paint(regions: regions, width: size, height: size, discCenter: SIMD2(Double(size) / 2, Double(size) / 2), discRadius: Double(size) * 0.45, seed: 7)
        let decodeStart = Date()
        streamTiles(painting, threads: 2)
        let decode = -decodeStart.timeIntervalSinceNow
        let t = painting.timings
        print("8192², 250 regions, 30 steps: total \(format(-start.timeIntervalSinceNow)) s "
              + "(planning \(format(t.planning)), conditioning \(format(t.conditioning)), denoise \(format(t.denoise)), "
              + "fusion \(format(t.fusion)), decode \(format(decode))); peak memory \(Int(peakMemoryMB())) MB")
    }

    /// Decodes the whole output in 512² tiles, two at a time, keeping none: how the compositor streams.
    private static func streamTiles(_ painting: Painting, threads: Int) {
        let tile = 512
        let columns = (painting.width + tile - 1) / tile, rows = (painting.height + tile - 1) / tile
        let checksum = UnsafeMutableBufferPointer<Float>.allocate(capacity: columns * rows)
        defer { checksum.deallocate() }
        Parallel.forEach(columns * rows, threads: threads) { i in
            let x = (i % columns) * tile, y = (i / columns) * tile
            let image = painting.render(PixelRect(x: x, y: y, width: min(tile, painting.width - x), height: min(tile, painting.height - y)))
            checksum[i] = image.values[0]
        }
    }

    private static func format(_ seconds: Double) -> String { String(format: "%.2f", seconds) }

    // MARK: Synthetic atlas

    static let paper = Palette(
        background: RGBColor(hex: "#efe9dd")!, ink: RGBColor(hex: "#1d1b22")!, highlight: RGBColor(hex: "#d7261e")!,
        colors: ["#2f4858", "#33658a", "#86bbd8", "#758e4f", "#f6ae2d", "#c9b79c", "#5b4e77"].map { RGBColor(hex: $0)! })

    static let night = Palette(
        background: RGBColor(hex: "#101018")!, ink: RGBColor(hex: "#e8e4da")!, highlight: RGBColor(hex: "#ff3b2f")!,
        colors: ["#1b2a4a", "#27476e", "#3e7c8c", "#6aa39a", "#c7c19a", "#8a6f9e", "#3b3355"].map { RGBColor(hex: $0)! })

    private static let vocabulary = ["flag", "hammer", "fist", "star", "banner", "march", "crowd", "eagle", "stripes", "torch"]
    private static let fillers = ["a", "red", "over", "the", "old", "square", "at", "dusk", "poster", "painting", "with", "in"]

    /// 250 contexts in six embedding clusters, laid out in a disc with the strongest at the centre
    /// and radius ∝ score, like the layout stage produces.
    static func atlas(size: Int, count: Int = 250) -> [Region] {
        var random = SeededGenerator(seed: 2025)
        let dimensions = 64
        let clusters = (0..<6).map { _ in unit((0..<dimensions).map { _ in Float(gaussian(&random)) }) }
        let extent = Double(size)
        return (0..<count).map { i in
            let rank = Double(i) / Double(count)
            let score = 1 - 0.6 * pow(rank, 0.6)
            let cluster = i % clusters.count
            let angle = Double(cluster) / Double(clusters.count) * 2 * .pi + gaussian(&random) * 0.32
            let distance = (0.06 + 0.82 * rank.squareRoot()) * extent * 0.45
            let features = unit(clusters[cluster].map { $0 + Float(gaussian(&random)) * 0.1 })
            // A short prompt; some of its vocabulary words are highlighted.
            let highlighted = random.uniform() < 0.45
            let words = (0..<(5 + Int(random.uniform() * 8))).map { k -> Lettering.Word in
                let fromVocabulary = k % 3 == 1
                let text = fromVocabulary ? vocabulary[Int(random.uniform() * Double(vocabulary.count))]
                    : fillers[Int(random.uniform() * Double(fillers.count))]
                return Lettering.Word(text: text, weight: highlighted && fromVocabulary ? 0.3 + 0.7 * random.uniform() : 0)
            }
            return Region(center: SIMD2(extent / 2 + distance * cos(angle), extent / 2 + distance * sin(angle)),
                          radius: extent * 0.06 * score, features: features, words: words, cluster: cluster,
                          seed: UInt64(i) &* 0x9e37_79b9 &+ 1)
        }
    }

    private static func unit(_ v: [Float]) -> [Float] {
        let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / n }
    }

    private static func gaussian(_ random: inout SeededGenerator) -> Double {
        (-2 * log(max(random.uniform(), 1e-12))).squareRoot() * cos(2 * .pi * random.uniform())
    }

    // MARK: Gallery

    private static func gallery(directory: String) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, palette) in [("paper", paper), ("night", night)] {
            let size = 1536
            let painting = try! LatentDecoder(settings: .standard, palette: palette).paint(regions: atlas(size: size), width: size, height: size, discCenter: SIMD2(Double(size) / 2, Double(size) / 2), discRadius: Double(size) * 0.45, seed: 7)
            write(painting.image(), to: "\(directory)/atlas-\(name).png")
        }
        // A 100 % crop of a 6144² print render around the centre.
        let print = try! LatentDecoder(settings: .standard, palette: paper).paint(regions: atlas(size: 6144), width: 6144, height: 6144, discCenter: SIMD2(Double(6144) / 2, Double(6144) / 2), discRadius: Double(6144) * 0.45, seed: 7)
        write(print.render(PixelRect(x: 2900, y: 2900, width: 512, height: 512)), to: "\(directory)/crop-100-percent.png")
        // The denoising progression.
        var frames: [FloatImage] = []
        _ = try! LatentDecoder(settings: .standard, palette: paper).paint(regions: atlas(size: 512), width: 512, height: 512, discCenter: SIMD2(Double(512) / 2, Double(512) / 2), discRadius: Double(512) * 0.45, seed: 7) { step, preview in
            if [1, 6, 12, 20, 30].contains(step) { frames.append(preview.image()) }
        }
        write(strip(frames), to: "\(directory)/steps.png")
        // One context at activation 0, 0.35, 0.7 and 1.
        let features = atlas(size: 512)[0].features
        let highlight = [0.0, 0.35, 0.7, 1.0].map { weight in
            let region = Region(center: SIMD2(192, 192), radius: 150, features: features,
                                words: [Lettering.Word(text: "a", weight: 0), Lettering.Word(text: "flag", weight: weight),
                                        Lettering.Word(text: "and", weight: 0), Lettering.Word(text: "fist", weight: weight)],
                                seed: 3)
            return try! LatentDecoder(settings: .standard, palette: paper).paint(regions: [region], width: 384, height: 384, discCenter: SIMD2(Double(384) / 2, Double(384) / 2), discRadius: Double(384) * 0.45, seed: 7).image()
        }
        write(strip(highlight), to: "\(directory)/highlight-activation.png")
    }

    private static func strip(_ images: [FloatImage]) -> FloatImage {
        let w = images[0].width, h = images[0].height
        var out = FloatImage(width: w * images.count, height: h)
        for (k, image) in images.enumerated() {
            for y in 0..<h {
                for x in 0..<w * 3 { out.values[(y * w * images.count + k * w) * 3 + x] = image.values[y * w * 3 + x] }
            }
        }
        return out
    }

    /// Writes an 8-bit RGB PNG with stored (uncompressed) deflate blocks: no codec needed.
    static func write(_ image: FloatImage, to path: String) {
        var raw = [UInt8]()
        raw.reserveCapacity((image.width * 3 + 1) * image.height)
        for y in 0..<image.height {
            raw.append(0)
            for i in (y * image.width * 3)..<((y + 1) * image.width * 3) {
                raw.append(UInt8(min(max(image.values[i], 0), 1) * 255 + 0.5))
            }
        }
        var zlib: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65535, raw.count - offset)
            zlib.append(offset + n == raw.count ? 1 : 0)
            zlib += [UInt8(n & 0xff), UInt8(n >> 8), UInt8(~n & 0xff), UInt8((~n >> 8) & 0xff)]
            zlib += raw[offset..<(offset + n)]
            offset += n
        } while offset < raw.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in raw { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        zlib += bigEndian((b << 16) | a)
        var png: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
        png += chunk("IHDR", bigEndian(UInt32(image.width)) + bigEndian(UInt32(image.height)) + [8, 2, 0, 0, 0])
        png += chunk("IDAT", zlib)
        png += chunk("IEND", [])
        FileManager.default.createFile(atPath: path, contents: Data(png))
        print("wrote \(path)")
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }

    private static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xedb8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xffff_ffff
        for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xff)] ^ (c >> 8) }
        return c ^ 0xffff_ffff
    }

    private static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)]
    }
}
