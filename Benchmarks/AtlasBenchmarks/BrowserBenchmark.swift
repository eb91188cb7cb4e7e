import AtlasCore
import Browser
import Foundation

/// The data browser's tile pyramid for a large print: bands streamed in as the PNG writer would
/// see them (`make bench ARGS="browser [side]"`, default 8192). Reports time, tiles, bytes and
/// peak memory, which must stay near a few bands' worth, not the whole page.
enum BrowserBenchmark {
    static func run(arguments: [String]) {
        let side = arguments.first.flatMap(Int.init) ?? 8192
        let bandRows = 256
        let folder = NSTemporaryDirectory() + "atlas-bench-tiles-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = peakMemoryMB()
        let start = Date()
        do {
            let pyramid = try TilePyramid(folder: folder, width: side, height: side, tileSize: 512)
            var band = FloatImage(width: side, height: bandRows)
            var y = 0
            var pyramidCPU = 0.0, pyramidWall = 0.0
            while y < side {
                let h = min(bandRows, side - y)
                if h != band.height { band = FloatImage(width: side, height: h) }
                // A painted-looking band: smooth gradients plus fine grain (compresses like a render).
                band.values.withUnsafeMutableBufferPointer { v in
                    for r in 0..<h {
                        for x in 0..<side {
                            let i = (r * side + x) * 3, n = Float(StableHash.mix(UInt64((y + r) * side + x)) & 31) / 1000
                            v[i] = Float(x) / Float(side) + n
                            v[i + 1] = Float(y + r) / Float(side) + n
                            v[i + 2] = 0.5 + 0.4 * sin(Float(x + y + r) / 97) + n
                        }
                    }
                }
                let c0 = cpuSeconds(), t0 = Date()
                try pyramid.consume(PixelRect(x: 0, y: y, width: side, height: h), band)
                pyramidCPU += cpuSeconds() - c0
                pyramidWall += Date().timeIntervalSince(t0)
                y += h
            }
            let c0 = cpuSeconds(), t0 = Date()
            try pyramid.finish()
            pyramidCPU += cpuSeconds() - c0
            pyramidWall += Date().timeIntervalSince(t0)
            let seconds = Date().timeIntervalSince(start)
            let bytes = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? [])
                .compactMap { try? FileManager.default.attributesOfItem(atPath: folder + "/" + $0)[.size] as? Int }.reduce(0, +)
            print("tile pyramid \(side)×\(side) px, bands of \(bandRows) rows: \(format(seconds, 2)) s in all; the pyramid itself \(format(pyramidWall, 2)) s wall, \(format(pyramidCPU, 2)) s CPU (one thread), "
                  + "\(pyramid.tilesWritten) tiles in \(pyramid.levels.count) levels, \(format(Double(bytes) / 1_048_576, 1)) MB; "
                  + "peak RSS \(format(peakMemoryMB(), 0)) MB (\(format(before, 0)) MB before; the page alone as 8-bit RGB would be "
                  + "\(format(Double(side * side * 3) / 1_048_576, 0)) MB)")
        } catch {
            print("tile pyramid failed: \(error)")
        }
    }
}
