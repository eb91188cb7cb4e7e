import AtlasCore
import Foundation
import Testing
@testable import Graphics

private func temporaryPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-graphics-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}

@Suite("PNG")
struct PNGTests {
    @Test func roundTripsPixelsDPIAndTextChunks() throws {
        var image = RGBAImage(width: 7, height: 5, fill: (10, 20, 30, 255))
        image[3, 2] = SIMD4(200, 100, 50, 128)
        let path = temporaryPath("a.png")
        try PNGFile.write(image, to: path, options: PNGOptions(dotsPerInch: 300, text: [("Software", "LatentAtlas"), ("latentatlas:seed", "42"), ("Title", "Sée 海")]))
        let back = try PNGFile.read(path)
        #expect(back.image == image)
        #expect(abs((back.dotsPerInch ?? 0) - 300) < 0.02)
        #expect(back.hasSRGB)
        #expect(back.text == ["Software": "LatentAtlas", "latentatlas:seed": "42", "Title": "Sée 海"])
    }

    @Test func writes16BitRGB() throws {
        let f = FloatImage(width: 2, height: 1, values: [0, 0.5, 1, 0.25, 0.75, 0.1])
        let path = temporaryPath("b.png")
        try PNGFile.write(f, to: path, options: PNGOptions(bitDepth: 16))
        let back = try PNGFile.read(path)
        #expect(back.bitDepth == 16)
        #expect(back.image.pixels == [0, 128, 255, 255, 64, 191, 25, 255])
    }

    @Test func unreadableFilesAreTypedErrors() throws {
        let notPNG = temporaryPath("x.png")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: notPNG))
        #expect(throws: GraphicsError(.png, operation: "reading", reason: "not a PNG file", path: notPNG)) { try PNGFile.read(notPNG) }
        let truncated = temporaryPath("t.png")
        try PNGFile.write(RGBAImage(width: 64, height: 64, fill: (1, 2, 3, 255)), to: truncated, options: PNGOptions())
        let bytes = try Data(contentsOf: URL(fileURLWithPath: truncated))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        #expect(throws: GraphicsError.self) { try PNGFile.read(truncated) }
        #expect(throws: GraphicsError.self) { try PNGFile.write(RGBAImage(width: 1, height: 1), to: "/no/such/dir/x.png", options: PNGOptions()) }
    }

    @Test func writerRefusesToFinishEarly() throws {
        let w = try PNGWriter(path: temporaryPath("p.png"), width: 4, height: 4, channels: 3, options: PNGOptions())
        #expect(throws: GraphicsError.self) { try w.finish() }
    }
}

@Suite("Cairo")
struct CairoTests {
    @Test func surfacesRejectImpossibleSizes() {
        #expect(throws: GraphicsError.self) { try Surface.image(width: 40000, height: 10) }
        #expect(throws: GraphicsError.self) { try Surface.image(width: 0, height: 10) }
    }

    @Test func drawsAndReadsBackStraightAlpha() throws {
        let s = try Surface.image(width: 20, height: 20)
        let d = try Drawing(s)
        d.setColor(RGBColor(red: 1, green: 0, blue: 0, alpha: 0.5))
        d.rectangle(x: 0, y: 0, width: 10, height: 20)
        d.fill()
        try d.check("test")
        let img = s.rgbaImage()
        #expect(img[2, 2] == SIMD4(255, 0, 0, 128))
        #expect(img[15, 2] == SIMD4(0, 0, 0, 0))
        let again = try Surface.image(img).rgbaImage()
        #expect(again == img)
    }

    @Test func pdfPagesHaveThePhysicalSize() throws {
        let path = temporaryPath("p.pdf")
        let s = try Surface.pdf(path: path, widthPoints: 595, heightPoints: 842)
        let d = try Drawing(s)
        d.setColor(RGBColor(red: 0, green: 0, blue: 0))
        d.circle(center: SIMD2(100, 100), radius: 50)
        d.fill()
        try s.finish()
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        #expect(text.contains("/MediaBox [ 0 0 595 842 ]"))
        #expect(!text.contains("/CreationDate"))
    }
}

@Suite("Text")
struct TextTests {
    @Test func pinnedFontsAreTheOnlyOnes() throws {
        let families = try FontLibrary.shared.get().families()
        #expect(families.contains("Inter"))
        #expect(families.contains { $0.hasPrefix("Noto Sans CJK") })
        #expect(families.contains("Noto Color Emoji"))
        #expect(!families.contains("DejaVu Sans"))
    }

    @Test(arguments: ["Light under the sea", "海の光 — 生物発光", "ضوء البحر", "glowing 🐙🌊 reef", "Ünïcødé ligatures ffi"])
    func scriptsShapeWithoutMissingGlyphs(_ text: String) throws {
        let t = try Typesetter()
        let layout = t.layout(text, style: TextStyle(family: "Inter", size: 24, color: RGBColor(red: 0, green: 0, blue: 0)))
        #expect(layout.unknownGlyphs == 0)
        #expect(layout.size.x > 0 && layout.size.y > 0)
        let s = try Surface.image(width: 600, height: 80)
        let d = try Drawing(s)
        d.draw(layout, at: SIMD2(4, 4))
        try d.check("drawing text")
        #expect(s.rgbaImage().pixels.contains { $0 != 0 })
        // As a page's text is drawn: outlines made once, filled flat and bent along a circle.
        let style = TextStyle(family: "Inter", size: 24, color: RGBColor(red: 0, green: 0, blue: 0))
        let flat = t.outline(text, style: style), bent = t.outline(text, style: style, flat: true)
        #expect(!flat.elements.isEmpty && !bent.elements.contains { if case .curve = $0 { true } else { false } })
        let o = try Surface.image(width: 600, height: 80)
        let e = try Drawing(o)
        e.fill(flat, at: SIMD2(4, 4), color: style.color)
        e.fill(bent, around: SIMD2(300, 300), radius: 250, angle: 0, placement: .top, size: 24, color: style.color)
        try e.check("filling outlines")
        #expect(o.rgbaImage().pixels.contains { $0 != 0 })
    }

    @Test func wrappingMakesTallerBlocks() throws {
        let t = try Typesetter()
        let style = TextStyle(family: "Inter", size: 12, color: RGBColor(red: 0, green: 0, blue: 0))
        let text = String(repeating: "a glowing reef at night ", count: 10)
        #expect(t.layout(text, style: style, width: 100).size.y > t.layout(text, style: style).size.y * 3)
    }
}
