import AtlasCore
import Foundation
import Graphics

/// An image pyramid of PNG tiles for browsing a large print: level 0 is full resolution, each next
/// level halves it (2×2 box average) until one tile holds it all. It is fed the page's bands top
/// to bottom, of any height, as they stream into the PNG, and holds only one row of tiles per
/// level, so memory stays bounded whatever the page size. Tiles are `<folder>/<level>/<col>-<row>.png`.
public final class TilePyramid {
    public struct LevelInfo: Codable, Sendable, Equatable {
        public var width: Int
        public var height: Int
        public var columns: Int
        public var rows: Int
    }

    final class Level {
        let index: Int
        let width: Int, height: Int
        let tileSize: Int
        /// Up to `tileSize` rows of 8-bit RGB.
        var buffer: [UInt8]
        var rowsInBuffer = 0
        var tileRow = 0
        /// The even row waiting for its odd partner before the next level gets their average.
        var pending: [UInt8]?
        var next: Level?

        init(index: Int, width: Int, height: Int, tileSize: Int) {
            self.index = index
            self.width = width
            self.height = height
            self.tileSize = tileSize
            buffer = [UInt8](repeating: 0, count: width * min(tileSize, height) * 3)
        }

        var info: LevelInfo {
            LevelInfo(width: width, height: height, columns: (width + tileSize - 1) / tileSize, rows: (height + tileSize - 1) / tileSize)
        }
    }

    public let folder: String
    public let tileSize: Int
    let options: PNGOptions
    let top: Level
    public private(set) var levels: [LevelInfo] = []
    public private(set) var tilesWritten = 0

    /// Starts a pyramid for a `width`×`height` page; an existing `folder` is replaced.
    public init(folder: String, width: Int, height: Int, tileSize: Int, compressionLevel: Int = 3) throws {
        self.folder = folder
        self.tileSize = tileSize
        options = PNGOptions(bitDepth: 8, compressionLevel: compressionLevel, srgb: true)
        var w = width, h = height, i = 0
        let first = Level(index: 0, width: w, height: h, tileSize: tileSize)
        var last = first
        var infos = [first.info]
        while max(w, h) > tileSize {
            w = (w + 1) / 2; h = (h + 1) / 2; i += 1
            let level = Level(index: i, width: w, height: h, tileSize: tileSize)
            last.next = level
            last = level
            infos.append(level.info)
        }
        top = first
        levels = infos
        let fm = FileManager.default
        if fm.fileExists(atPath: folder) { try fm.removeItem(atPath: folder) }
        for level in infos.indices {
            try fm.createDirectory(atPath: (folder as NSString).appendingPathComponent(String(level)), withIntermediateDirectories: true)
        }
    }

    /// Takes the next band of the page (full width, rows in order).
    public func consume(_ rect: PixelRect, _ image: FloatImage) throws {
        precondition(image.width == top.width, "pyramid bands must span the page")
        var row = [UInt8](repeating: 0, count: top.width * 3)
        let n = top.width * 3
        for y in 0..<image.height {
            image.values.withUnsafeBufferPointer { v in
                for i in 0..<n { row[i] = UInt8(min(max(v[y * n + i], 0), 1) * 255 + 0.5) }
            }
            try push(row, to: top)
        }
    }

    /// Writes the last partial rows of every level.
    public func finish() throws {
        var level: Level? = top
        while let l = level {
            if l.rowsInBuffer > 0 { try flush(l) }
            if let pending = l.pending, let next = l.next {
                try push(Self.halve(pending, pending, width: l.width, nextWidth: next.width), to: next)
                l.pending = nil
            }
            level = l.next
        }
    }

    func push(_ row: [UInt8], to level: Level) throws {
        let n = level.width * 3
        level.buffer.replaceSubrange((level.rowsInBuffer * n)..<((level.rowsInBuffer + 1) * n), with: row)
        level.rowsInBuffer += 1
        if level.rowsInBuffer == min(tileSize, level.height - level.tileRow * tileSize) { try flush(level) }
        guard let next = level.next else { return }
        if let pending = level.pending {
            level.pending = nil
            try push(Self.halve(pending, row, width: level.width, nextWidth: next.width), to: next)
        } else {
            level.pending = row
        }
    }

    /// Cuts the buffered rows into tiles and writes them.
    func flush(_ level: Level) throws {
        let rows = level.rowsInBuffer
        let columns = (level.width + tileSize - 1) / tileSize
        var tile = [UInt8](repeating: 0, count: tileSize * rows * 3)
        for c in 0..<columns {
            let x0 = c * tileSize, w = min(tileSize, level.width - x0)
            for r in 0..<rows {
                let src = (r * level.width + x0) * 3
                tile.replaceSubrange((r * w * 3)..<((r + 1) * w * 3), with: level.buffer[src..<(src + w * 3)])
            }
            let path = (folder as NSString).appendingPathComponent("\(level.index)/\(c)-\(level.tileRow).png")
            let options = self.options
            try AtomicFile.write(to: path) { temp in
                let writer = try PNGWriter(path: temp, width: w, height: rows, channels: 3, options: options)
                try tile.withUnsafeBytes { try writer.write(rows: $0.baseAddress!, count: rows, stride: w * 3) }
                try writer.finish()
            }
            tilesWritten += 1
        }
        level.rowsInBuffer = 0
        level.tileRow += 1
    }

    /// The 2×2 box average of two rows (the last column doubles when the width is odd).
    static func halve(_ a: [UInt8], _ b: [UInt8], width: Int, nextWidth: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: nextWidth * 3)
        for x in 0..<nextWidth {
            let x0 = 2 * x, x1 = min(2 * x + 1, width - 1)
            for ch in 0..<3 {
                let s = Int(a[x0 * 3 + ch]) + Int(a[x1 * 3 + ch]) + Int(b[x0 * 3 + ch]) + Int(b[x1 * 3 + ch])
                out[x * 3 + ch] = UInt8((s + 2) / 4)
            }
        }
        return out
    }
}
