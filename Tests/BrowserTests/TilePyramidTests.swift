import AtlasCore
import Foundation
import Graphics
import Testing
@testable import Browser

func gradient(width: Int, height: Int) -> FloatImage {
    var img = FloatImage(width: width, height: height)
    for y in 0..<height {
        for x in 0..<width {
            let i = (y * width + x) * 3
            img.values[i] = Float(x) / Float(width - 1)
            img.values[i + 1] = Float(y) / Float(height - 1)
            img.values[i + 2] = Float((x * 7 + y * 13) % 256) / 255
        }
    }
    return img
}

func build(_ image: FloatImage, bandRows: Int, tile: Int, in folder: String) throws -> TilePyramid {
    let p = try TilePyramid(folder: folder, width: image.width, height: image.height, tileSize: tile)
    var y = 0
    while y < image.height {
        let h = min(bandRows, image.height - y)
        let band = FloatImage(width: image.width, height: h, values: Array(image.values[(y * image.width * 3)..<((y + h) * image.width * 3)]))
        try p.consume(PixelRect(x: 0, y: y, width: image.width, height: h), band)
        y += h
    }
    try p.finish()
    return p
}

@Test func pyramidLevelsHalveUntilOneTileAndBandHeightDoesNotMatter() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pyramid-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let image = gradient(width: 301, height: 203)
    let a = try build(image, bandRows: 7, tile: 64, in: dir + "/a")
    let b = try build(image, bandRows: 203, tile: 64, in: dir + "/b")
    #expect(a.levels.map(\.width) == [301, 151, 76, 38] && a.levels.map(\.height) == [203, 102, 51, 26])
    #expect(a.levels.map(\.columns) == [5, 3, 2, 1] && a.levels.map(\.rows) == [4, 2, 1, 1])
    #expect(a.tilesWritten == 20 + 6 + 2 + 1 && b.tilesWritten == a.tilesWritten)
    for level in a.levels.indices {
        for c in 0..<a.levels[level].columns {
            for r in 0..<a.levels[level].rows {
                let name = "/\(level)/\(c)-\(r).png"
                let x = try PNGFile.read(dir + "/a" + name).image, y = try PNGFile.read(dir + "/b" + name).image
                #expect(x == y, "\(name)")
                #expect(x.width == min(64, a.levels[level].width - c * 64) && x.height == min(64, a.levels[level].height - r * 64))
            }
        }
    }
    // Level 0 holds the pixels; level 1 their 2×2 average.
    let t00 = try PNGFile.read(dir + "/a/0/1-1.png").image
    let q = { (v: Float) in Int(UInt8(min(max(v, 0), 1) * 255 + 0.5)) }
    let at = { (x: Int, y: Int, ch: Int) in q(image.values[(y * 301 + x) * 3 + ch]) }
    #expect(Int(t00[3, 5].x) == at(67, 69, 0) && Int(t00[3, 5].z) == at(67, 69, 2))
    let t10 = try PNGFile.read(dir + "/a/1/0-0.png").image
    let avg = (at(20, 10, 2) + at(21, 10, 2) + at(20, 11, 2) + at(21, 11, 2) + 2) / 4
    #expect(Int(t10[10, 5].z) == avg)
}
