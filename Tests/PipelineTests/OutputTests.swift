import AtlasCore
import CTIFF
import Compare
import Encode
import Foundation
import Graphics
import Testing
@testable import Pipeline

private func render(_ input: String, preset: String = "preview", overrides: [String], formats: [OutputFormat] = [.png],
                    memoryBudget: UInt64? = nil) throws -> (dir: String, name: String) {
    let out = try temporaryDirectory()
    let style = try Repository.styles.load(preset, overrides: overrides)
    var request = RenderRequest(input: input, style: style, outputDirectory: out, formats: formats)
    request.memoryBudget = memoryBudget
    let r = try Renderer.render(request)
    return (out, r[0].latent)
}

/// `pdfinfo -box`: each box's four numbers, in points.
private func pageBoxes(_ pdf: String) throws -> [String: [Double]] {
    var boxes: [String: [Double]] = [:]
    for line in try tool("pdfinfo", ["-box", pdf]).split(separator: "\n") {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        guard let name = parts.first, name.hasSuffix("Box:") else { continue }
        boxes[String(name.dropLast())] = parts.dropFirst().compactMap { Double($0) }
    }
    return boxes
}

/// A binary PPM (P6, 8-bit) as pdftoppm writes it.
private struct PPM {
    var width = 0, height = 0
    var bytes: [UInt8] = []

    init(path: String) throws {
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var fields: [Int] = [], i = 2, current = ""
        while fields.count < 3 {
            let c = Character(UnicodeScalar(data[i]))
            if c.isWhitespace { if !current.isEmpty { fields.append(Int(current)!); current = "" } } else { current.append(c) }
            i += 1
        }
        (width, height) = (fields[0], fields[1])
        bytes = Array(data[i...])
    }

    func pixel(_ x: Int, _ y: Int) -> [Int] { (0..<3).map { Int(bytes[(y * width + x) * 3 + $0]) } }
}

@Suite("Layers and output")
struct OutputTests {
    /// Each layer alone, and everything with print furniture, held by golden images.
    @Test(arguments: ["painting", "heatmap", "edges", "circle", "typography", "all"])
    func layerMatchesItsGolden(_ layer: String) throws {
        let layers = layer == "all" ? "[painting, heatmap, edges, circle, typography, furniture]" : "[\(layer)]"
        var overrides = smallCanvas + ["layers=\(layers)", "typography.show_cluster_labels=true"]
        if layer == "all" { overrides += ["print.bleed=3", "print.crop_marks=true", "heatmap.opacity=0.5"] }
        let r = try render(Repository.path("Examples/clockwork.jsonl"), overrides: overrides)
        let image = try PNGFile.read("\(r.dir)/\(r.name).png").image
        let golden = GoldenImage(path: "\(Repository.goldens)/layers/\(layer).png", artifacts: Repository.artifacts)
        if case let .failed(message) = try golden.check(image) { Issue.record(Comment(rawValue: message)) }
    }

    @Test func tiledRenderEqualsTheUntiledOne() throws {
        let size = ["canvas.width=512", "canvas.height=512", "output.formats=[png]", "decode.latent_scale=0.25"]
        let input = Repository.path("Examples/civic.jsonl")
        // Just above what decoding needs: the bands get less than the page, so it streams in several.
        let style = try Repository.styles.load("preview", overrides: size)
        let inputBytes = try #require(try FileManager.default.attributesOfItem(atPath: input)[.size] as? NSNumber).uint64Value
        let tight = RenderMemory(style: style, threads: ProcessInfo.processInfo.activeProcessorCount, inputBytes: inputBytes).decodePeak + (1 << 20)
        #expect(RenderMemory(style: style, threads: ProcessInfo.processInfo.activeProcessorCount, inputBytes: inputBytes, budget: tight).bandPixels < 512 * 512)
        let whole = try render(input, overrides: size + ["output.memory_budget_mb=256"])
        let bands = try render(input, overrides: size, memoryBudget: tight)
        let a = try PNGFile.read("\(whole.dir)/civic.png").image, b = try PNGFile.read("\(bands.dir)/civic.png").image
        // Vector layers are drawn on fixed tiles whatever the band, so the pixels are the same to the
        // byte: nothing goes missing at a band edge (the latent id set along the bottom of the circle
        // lies in the last band) and no edge's antialiasing depends on where a band was cut.
        #expect(a == b, "tiled render differs: \(ImageComparison.compare(a, b, tolerance: .standard).differingPixels) pixels")
    }

    @Test func pdfHasThePhysicalPageAndOneFullResolutionImage() throws {
        let r = try render(Repository.path("Examples/civic.jsonl"), overrides: smallCanvas + ["canvas.dpi=100"], formats: [.pdf, .svg])
        let pdf = "\(r.dir)/\(r.name).pdf"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
        #expect(String(decoding: bytes, as: UTF8.self).contains("/MediaBox [ 0 0 184.32 184.32 ]"))   // 256 px at 100 dpi = 2.56 in
        #expect(try tool("pdfinfo", [pdf]).contains("Page size:       184.32 x 184.32 pts"))
        let rows = try tool("pdfimages", ["-list", pdf]).split(separator: "\n").dropFirst(2)
        #expect(rows.count == 1)
        #expect(rows.first?.split(separator: " ", omittingEmptySubsequences: true)[3...4].joined(separator: "x") == "256x256")
        let svg = try String(contentsOfFile: "\(r.dir)/\(r.name).svg", encoding: .utf8)
        #expect(svg.contains("<svg") && !svg.contains("<image"))
    }

    @Test func sixteenBitPNGKeepsMetadata() throws {
        let r = try render(Repository.path("Examples/civic.jsonl"), overrides: smallCanvas + ["output.bit_depth=16"])
        let png = try PNGFile.read("\(r.dir)/civic.png")
        #expect(png.bitDepth == 16 && png.hasSRGB)
        #expect(png.text["Software"] == "LatentAtlas 0.1.0")
        #expect(png.text["latentatlas:fingerprint"]?.count == 16)
    }

    /// Issue 14 item 10: the PDF carries the 16-bit raster tagged with the sRGB profile, an
    /// OutputIntent, and distinct page boxes: TrimBox inside BleedBox (the raster) inside MediaBox
    /// (the raster plus the slug for the crop marks).
    @Test func printPDFHasSixteenBitsAProfileAndPageBoxes() throws {
        let r = try render(Repository.path("Examples/civic.jsonl"), overrides: smallCanvas + ["output.bit_depth=16", "print.bleed=3"], formats: [.pdf])
        let pdf = "\(r.dir)/\(r.name).pdf"
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: pdf)), as: UTF8.self)
        #expect(text.contains("/BitsPerComponent 16") && text.contains("/Predictor 15"))
        // At 150 dpi: 256 px trimmed + 2 × 18 px of bleed (3 mm) = 292 px, + 2 × 59 px of slug
        // (2 mm gap, 6 mm of mark, 2 mm) = 410 px = 196.8 pt.
        #expect(text.contains("/TrimBox [ 36.96 36.96 159.84 159.84 ]") && text.contains("/BleedBox [ 28.32 28.32 168.48 168.48 ]"))
        if ColorProfile.sRGB != nil { #expect(text.contains("/OutputIntents [") && text.contains("/ICCBased")) }
        let boxes = try pageBoxes(pdf)
        #expect(boxes["MediaBox"] == [0, 0, 196.8, 196.8])
        #expect(boxes["BleedBox"] == [28.32, 28.32, 168.48, 168.48])
        #expect(boxes["TrimBox"] == [36.96, 36.96, 159.84, 159.84])
        let images = try tool("pdfimages", ["-list", pdf])
        let row = images.split(separator: "\n").dropFirst(2).first?.split(separator: " ", omittingEmptySubsequences: true)
        #expect(row?[3] == "292" && row?[7] == "16")
    }

    /// The boxes nest, the raster covers the whole BleedBox and the crop marks lie in the slug,
    /// outside it, on the trim lines: checked on the page as poppler draws it, one pixel per pixel.
    @Test func cropMarksSitInTheSlugOutsideTheBleed() throws {
        let r = try render(Repository.path("Examples/civic.jsonl"),
                           overrides: smallCanvas + ["print.bleed=3", "print.crop_marks=true", "layers=[painting, circle, furniture]"], formats: [.pdf])
        let pdf = "\(r.dir)/\(r.name).pdf"
        let boxes = try pageBoxes(pdf)
        let media = try #require(boxes["MediaBox"]), bleed = try #require(boxes["BleedBox"]), trim = try #require(boxes["TrimBox"])
        for i in 0..<2 {
            #expect(media[i] < bleed[i] && bleed[i] < trim[i] && trim[i + 2] < bleed[i + 2] && bleed[i + 2] < media[i + 2])
        }
        _ = try tool("pdftoppm", ["-r", "150", pdf, "\(r.dir)/page"])
        let page = try PPM(path: "\(r.dir)/page-1.ppm")
        #expect(page.width == 410 && page.height == 410)
        let slug = 59, bleedPx = 18, trimAt = slug + bleedPx   // the trim lines run between pixels trimAt - 1 and trimAt
        // A 0.25 pt hairline is grey at 150 dpi: a mark is whatever is not white.
        func white(_ x: Int, _ y: Int) -> Bool { page.pixel(x, y).allSatisfy { $0 > 250 } }
        // The raster covers the bleed box edge to edge: no white inside it (the painting's paper is cream).
        for k in stride(from: slug, to: 410 - slug, by: 7) {
            #expect(!white(k, slug) && !white(slug, k) && !white(k, 410 - slug - 1) && !white(410 - slug - 1, k))
        }
        // The top-left vertical mark on the trim line: in the slug from 2 mm (12 px) past the bleed
        // box for 6 mm (35 px), with white between it and the bleed box.
        let vertical = (0..<slug).filter { !white(trimAt - 1, $0) || !white(trimAt, $0) }
        #expect(vertical.first == slug - 12 - 35 && vertical.last == slug - 13 && vertical.count == 35)
        // And the bottom-right horizontal one, mirrored.
        let bottom = 410 - trimAt
        let horizontal = (410 - slug..<410).filter { !white($0, bottom - 1) || !white($0, bottom) }
        #expect(horizontal.first == 410 - slug + 12 && horizontal.last == 410 - slug + 12 + 34 && horizontal.count == 35)
        // Nothing else is drawn in the slug: away from the trim lines it is white.
        #expect((0..<410).allSatisfy { white($0, 2) && white(2, $0) })
    }

    /// A PNG and a PDF written together share one pass over the bands (the painting decoded once)
    /// and are byte for byte the files each writes alone.
    @Test func pngAndPDFTogetherAreTheFilesEachWritesAlone() throws {
        let overrides = smallCanvas + ["output.bit_depth=16", "print.bleed=2", "print.crop_marks=true", "layers=[painting, heatmap, edges, circle, typography, furniture]"]
        let input = Repository.path("Examples/clockwork.jsonl")
        let both = try render(input, overrides: overrides, formats: [.png, .pdf])
        let png = try render(input, overrides: overrides, formats: [.png])
        let pdf = try render(input, overrides: overrides, formats: [.pdf])
        func bytes(_ dir: String, _ ext: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(both.name).\(ext)")) }
        #expect(try bytes(both.dir, "png") == bytes(png.dir, "png"))
        #expect(try bytes(both.dir, "pdf") == bytes(pdf.dir, "pdf"))
    }

    /// The TIFF carries the same 16-bit raster as the PNG.
    @Test func tiffHoldsThePNGsRaster() throws {
        let r = try render(Repository.path("Examples/civic.jsonl"), overrides: smallCanvas + ["output.bit_depth=16"], formats: [.png, .tiff])
        let png = try PNGFile.read("\(r.dir)/civic.png")
        var info = atlas_tiff_info()
        var samples = [UInt16](repeating: 0, count: 256 * 256 * 3)
        var error = [CChar](repeating: 0, count: 256)
        let status = samples.withUnsafeMutableBufferPointer { atlas_tiff_read("\(r.dir)/civic.tiff", &info, $0.baseAddress, $0.count, &error, error.count) }
        #expect(status == 0 && info.bit_depth == 16 && info.width == 256)
        #expect(abs(info.x_resolution - 150) < 0.01)
        var high = [UInt8]()
        for p in 0..<(256 * 256) { high += samples[(p * 3)..<(p * 3 + 3)].map { UInt8($0 >> 8) } + [255] }
        #expect(high == png.image.pixels)
    }

    @Test func promptsInAnyScriptRender() throws {
        let dir = try temporaryDirectory()
        let lines = [#"{"latent": {"name": "scripts", "title": "海の光 · ضوء البحر · 🌊", "description": "Ünïcødé 生物発光 🐙"}}"#]
            + (0..<40).map { i in
                let texts = ["深海の{{光る}}クラゲ", "{{ضوء}} البحر في الليل", "a {{glowing}} 🐙 reef", "Свет {{моря}}"]
                return #"{"id": "c\#(i)", "text": "\#(texts[i % 4]) \#(i)", "score": \#(0.1 + Double(i) / 100)}"#
            }
        try lines.joined(separator: "\n").write(toFile: dir + "/scripts.jsonl", atomically: true, encoding: .utf8)
        let r = try render(dir + "/scripts.jsonl", overrides: smallCanvas + ["typography.show_cluster_labels=true"], formats: [.png, .pdf, .svg])
        let image = try PNGFile.read("\(r.dir)/scripts.png").image
        #expect(image.width == 256)
        #expect(FileManager.default.fileExists(atPath: "\(r.dir)/scripts.pdf"))
    }

    @Test func layerFilesAreWrittenOnRequest() throws {
        let out = try temporaryDirectory()
        let style = try Repository.styles.load("preview", overrides: smallCanvas)
        let r = try Renderer.render(RenderRequest(input: Repository.path("Examples/civic.jsonl"), style: style, outputDirectory: out, layerFiles: true))
        let names = r[0].files.map { ($0 as NSString).lastPathComponent }
        #expect(names.contains("civic.edges.png") && names.contains("civic.painting.png") && names.contains("civic.typography.png"))
        let edges = try PNGFile.read(out + "/civic.edges.png").image
        #expect(edges.pixels[3] == 0)   // vector layers are on transparency
    }
}
