import AtlasCore
import Decode
import Foundation
import Graphics

/// The plan's masks: which region owns each pixel of the canvas (its cell of the power diagram —
/// radius-weighted Voronoi, owner of p = argmin |p − c|² − r² — clipped to the atlas disc) and, within
/// `seam` pixels of a cell border, the runner-up and how the two share the pixel.
public enum PlanMasks {
    /// One band of the label map: per pixel of `rect`, the owner's label (0 outside the disc), its weight
    /// (0.5…1; 1 outside the disc and away from seams), and the runner-up's label (0 where there is none).
    public struct Band: Sendable, Equatable {
        public var rect: PixelRect
        public var owner: [UInt16]
        public var weight: [UInt8]
        public var runnerUp: [UInt16]
    }

    /// The labels and weights of `rect`, quantised as the files store them.
    public static func band(_ plan: RegionPlan, rect: PixelRect) -> Band {
        band(plan, diagram: diagram(plan), rect: rect)
    }

    /// The power diagram of the plan's visible regions (radius > 0) and their labels.
    static func diagram(_ plan: RegionPlan) -> (cells: PowerDiagram, labels: [UInt16]) {
        let visible = plan.regions.filter { $0.radius > 0 }
        let cells = PowerDiagram(centers: visible.map(\.centerPoint), weights: visible.map(\.powerWeight),
                                 discCenter: plan.disc.centerPoint, discRadius: plan.disc.radius, seam: plan.seam)
        return (cells, visible.map { UInt16($0.label) })
    }

    static func band(_ plan: RegionPlan, diagram: (cells: PowerDiagram, labels: [UInt16]), rect: PixelRect) -> Band {
        let cells = diagram.cells.cells(in: rect)
        let n = rect.width * rect.height
        var owner = [UInt16](repeating: 0, count: n), runnerUp = owner
        var weight = [UInt8](repeating: 255, count: n)
        // Pixel centres inside the disc only (the diagram reaches a little past it for an antialiased rim).
        for i in 0..<n where cells.owner[i] >= 0 && cells.rim[i] >= 0 {
            owner[i] = diagram.labels[Int(cells.owner[i])]
            weight[i] = UInt8((min(max(cells.weight[i], 0), 1) * 255).rounded())
            if cells.runnerUp[i] >= 0 { runnerUp[i] = diagram.labels[Int(cells.runnerUp[i])] }
        }
        return Band(rect: rect, owner: owner, weight: weight, runnerUp: runnerUp)
    }

    /// Writes the owner and runner-up maps (`plan.masks`) into `folder`, band by band, atomically.
    static func write(_ plan: RegionPlan, to folder: String, threads: Int) throws -> [String] {
        let width = plan.canvas.width, height = plan.canvas.height
        let ownerPath = (folder as NSString).appendingPathComponent(plan.masks.owner)
        let runnerPath = (folder as NSString).appendingPathComponent(plan.masks.runnerUp)
        let options = PNGOptions(compressionLevel: 6, dotsPerInch: plan.canvas.dpi, srgb: false,
                                 text: [("latentatlas:plan-fingerprint", plan.fingerprint)])
        try AtomicFile.write(to: ownerPath) { ownerTemp in
            try AtomicFile.write(to: runnerPath) { runnerTemp in
                let owners = try PNGWriter(path: ownerTemp, width: width, height: height, channels: 3, options: options)
                let runners = try PNGWriter(path: runnerTemp, width: width, height: height, channels: 3, options: options)
                let bandRows = 64
                let bands = stride(from: 0, to: height, by: bandRows).map {
                    PixelRect(x: 0, y: $0, width: width, height: min(bandRows, height - $0))
                }
                // A few bands at a time in parallel, written in order: memory stays bounded.
                let group = max(1, threads) * 2
                let cells = diagram(plan)
                for start in stride(from: 0, to: bands.count, by: group) {
                    let chunk = Array(bands[start..<min(start + group, bands.count)])
                    let done = Parallel.map(chunk.count, threads: threads) { band(plan, diagram: cells, rect: chunk[$0]) }
                    for b in done {
                        var o = [UInt8](repeating: 0, count: b.owner.count * 3), r = o
                        for i in b.owner.indices {
                            o[i * 3] = UInt8(b.owner[i] & 0xff); o[i * 3 + 1] = UInt8(b.owner[i] >> 8); o[i * 3 + 2] = b.weight[i]
                            r[i * 3] = UInt8(b.runnerUp[i] & 0xff); r[i * 3 + 1] = UInt8(b.runnerUp[i] >> 8)
                            r[i * 3 + 2] = b.runnerUp[i] == 0 ? 0 : 255 - b.weight[i]
                        }
                        try o.withUnsafeBytes { try owners.write(rows: $0.baseAddress!, count: b.rect.height, stride: width * 3) }
                        try r.withUnsafeBytes { try runners.write(rows: $0.baseAddress!, count: b.rect.height, stride: width * 3) }
                    }
                }
                try owners.finish()
                try runners.finish()
            }
        }
        return [ownerPath, runnerPath]
    }

    /// Reads a mask file back (owner or runner-up) as labels and weights.
    public static func read(_ path: String) throws -> (width: Int, height: Int, labels: [UInt16], weights: [UInt8]) {
        let contents: PNGContents
        do { contents = try PNGFile.read(path) } catch { throw PlanError.unreadable(path: path, reason: String(describing: error)) }
        let image = contents.image
        let n = image.width * image.height
        var labels = [UInt16](repeating: 0, count: n), weights = [UInt8](repeating: 0, count: n)
        for i in 0..<n {
            labels[i] = UInt16(image.pixels[i * 4]) | UInt16(image.pixels[i * 4 + 1]) << 8
            weights[i] = image.pixels[i * 4 + 2]
        }
        return (image.width, image.height, labels, weights)
    }
}
