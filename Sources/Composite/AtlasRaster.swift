import AtlasCore
import Dispatch
import Foundation
import Graphics

/// Decoded pixels for an output rectangle (sRGB floats): the decoder's painting, tile by tile.
public typealias PaintingSource = @Sendable (PixelRect) -> FloatImage

/// Renders a plan to pixels tile by tile, so any page size streams through bounded memory.
public struct AtlasRaster: Sendable {
    public var compositor: Compositor
    public var plan: AtlasPlan
    public var painting: PaintingSource?
    /// Bands rendered at once; the pixels do not depend on it.
    /// Threads in all (bands at once, or the rows of a band when it renders alone).
    public var threads = Parallel.allCores

    /// Cairo surfaces are kept at most this wide; wider tiles are split.
    public static let maxSurfaceSide = 8192

    public init(compositor: Compositor, plan: AtlasPlan, painting: PaintingSource?) {
        self.compositor = compositor
        self.plan = plan
        self.painting = painting
    }

    var style: CompositeStyle { compositor.style }

    /// The finished pixels of `rect`: raster layers, then the vector layers over them.
    public func tile(_ rect: PixelRect, layers: Set<Layer>) throws -> FloatImage {
        try tile(rect, layers: layers, threads: threads)
    }

    /// The tile's own pixel loops run on `threads` threads (one when several bands render at once).
    func tile(_ rect: PixelRect, layers: Set<Layer>, threads: Int) throws -> FloatImage {
        var image = rasterLayers(rect, layers: layers, threads: threads)
        let vectors = layers.filter(\.isVector).union(layers.contains(.painting) && painting == nil ? [.painting] : [])
        guard !vectors.isEmpty else { return image }
        try drawVectors(rect, layers: vectors, hasPainting: painting != nil) { part, surface, row in
            Self.composite(surface, rows: row..<(row + part.height), over: &image, at: part.x - rect.x, part.y - rect.y, threads: threads)
        }
        return image
    }

    /// Vector layers are drawn on fixed tiles of the page, `vectorTileRows` rows from row 0, whatever
    /// the band asking: Cairo's antialiasing near a surface's edge depends on where the surface is
    /// cut, so cutting where bands end would make pixels depend on the band size (and so on the
    /// thread count and memory budget).
    public static let vectorTileRows = 128

    /// Draws vector layers for `rect` onto transparent Cairo surfaces, one per fixed tile (no wider
    /// than Cairo handles well), handing `consume` each part of `rect`, the tile's surface and the
    /// surface row where the part starts.
    public func drawVectors(_ rect: PixelRect, layers: Set<Layer>, hasPainting: Bool,
                            consume: (_ part: PixelRect, _ surface: Surface, _ surfaceRow: Int) throws -> Void) throws {
        let rows = Self.vectorTileRows
        var y = rect.y / rows * rows
        while y < rect.maxY {
            let tileHeight = min(rows, plan.page.height - y)
            var x = rect.x
            while x < rect.maxX {
                let width = min(Self.maxSurfaceSide, rect.maxX - x)
                let surface = try Surface.image(width: width, height: tileHeight)
                let d = try Drawing(surface)
                d.translate(Double(-x), Double(-y))
                try compositor.drawVectors(plan, layers: layers, hasPainting: hasPainting, on: d)
                let top = max(y, rect.y), bottom = min(y + tileHeight, rect.maxY)
                try consume(PixelRect(x: x, y: top, width: width, height: bottom - top), surface, top - y)
                x += width
            }
            y += rows
        }
    }

    /// The whole page as one image (for small pages and tests; big pages stream with `bands`).
    public func image(layers: Set<Layer>? = nil) throws -> FloatImage {
        var out = FloatImage(width: plan.page.width, height: plan.page.height)
        let rows = (plan.page.height + 1) / 2
        try bands(rows: rows, layers: layers ?? style.layers) { band, pixels in
            out.values.replaceSubrange((band.y * band.width * 3)..<(band.maxY * band.width * 3), with: pixels.values)
        }
        return out
    }

    /// Renders the page in horizontal bands of `rows` rows and hands them to `consume` in
    /// top-to-bottom order. With more than one thread, `threads` bands render at once, ahead of
    /// `consume` (PNG compression, which is serial); at most
    /// `threads + 1` bands are held at once. `columns` limits the bands to part of the page's width
    /// (for images wider than Cairo allows).
    public func bands(rows: Int, layers: Set<Layer>, columns: Range<Int>? = nil, consume: (PixelRect, FloatImage) throws -> Void) throws {
        try bands(rows: rows, columns: columns, make: { rect, threads in
            try tile(rect, layers: layers, threads: threads)
        }, consume: consume)
    }

    /// Each band twice from one pass, for a PNG and a PDF written together: `raster`, what
    /// `rasterOnly` makes of the raster layers alone (the PDF's image: it draws the vectors itself),
    /// and `finished`, the same pixels with the vector layers of `layers` laid over them (the PNG).
    /// The painting is decoded once for both. Both are what `bands` gives for the same layers; the
    /// stand-in marks of an undecoded painting are vectors, so `layers` must not ask for them.
    public func bandPairs<Raster>(rows: Int, layers: Set<Layer>, rasterOnly: @escaping @Sendable (FloatImage, Int) -> Raster,
                                  consume: (_ band: PixelRect, _ raster: Raster, _ finished: FloatImage) throws -> Void) throws {
        precondition(painting != nil || !layers.contains(.painting), "bandPairs needs a decoded painting")
        let vectors = layers.filter(\.isVector)
        try bands(rows: rows, columns: nil, make: { rect, threads -> (Raster, FloatImage) in
            var image = rasterLayers(rect, layers: layers, threads: threads)
            let raster = rasterOnly(image, threads)
            guard !vectors.isEmpty else { return (raster, image) }
            try drawVectors(rect, layers: vectors, hasPainting: true) { part, surface, row in
                Self.composite(surface, rows: row..<(row + part.height), over: &image, at: part.x - rect.x, part.y - rect.y, threads: threads)
            }
            return (raster, image)
        }, consume: { rect, pair in try consume(rect, pair.0, pair.1) })
    }

    /// The band loop: `make` renders one band (with the thread count it is given),
    /// `consume` takes them in order.
    func bands<Band>(rows: Int, columns: Range<Int>?, make: @escaping @Sendable (PixelRect, Int) throws -> Band,
                     consume: (PixelRect, Band) throws -> Void) throws {
        let page = plan.page
        let xs = columns ?? 0..<page.width
        let rects = stride(from: 0, to: page.height, by: max(rows, 1)).map {
            PixelRect(x: xs.lowerBound, y: $0, width: xs.count, height: min(rows, page.height - $0))
        }
        guard threads > 1, rects.count > 1 else {
            for rect in rects { try consume(rect, try make(rect, threads)) }
            return
        }
        let pipeline = BandPipeline<Band>(count: rects.count)
        let ahead = DispatchSemaphore(value: threads)
        DispatchQueue.global().async {
            for i in rects.indices {
                ahead.wait()
                if pipeline.cancelled { pipeline.finish(i, .failure(CancellationError())); continue }
                DispatchQueue.global().async {
                    pipeline.finish(i, Result { try make(rects[i], 1) })
                }
            }
        }
        defer { pipeline.cancel(draining: rects.count, ahead: ahead) }
        for i in rects.indices {
            let result = pipeline.take(i)
            ahead.signal()
            try consume(rects[i], try result.get())
        }
    }

    /// Background, painting and heatmap for `rect`, composited in float.
    func rasterLayers(_ rect: PixelRect, layers: Set<Layer>, threads: Int) -> FloatImage {
        let bg = style.palette.background
        let background = SIMD3<Float>(Float(bg.red), Float(bg.green), Float(bg.blue))
        var out: FloatImage
        if layers.contains(.painting), let painting {
            out = painting(rect)
            precondition(out.width == rect.width && out.height == rect.height, "painting tile has the wrong size")
        } else {
            out = FloatImage(width: rect.width, height: rect.height)
            out.values.withUnsafeMutableBufferPointer { v in
                for i in 0..<(rect.width * rect.height) { v[i * 3] = background.x; v[i * 3 + 1] = background.y; v[i * 3 + 2] = background.z }
            }
        }
        // Every atlas on the sheet with its density (a pair has two); the diptych's panel shows the first.
        let overlays = ([plan] + plan.companions).compactMap { p in p.density.map { (disc: p.page.atlas, density: $0) } }
        guard layers.contains(.heatmap), let density = overlays.first?.density else { return out }
        let heat = style.heatmap
        let map = heat.colormap.table
        let panel = plan.page.heatmapPanel
        let overlay = heat.mode == .overlay
        let blend = heat.blend
        let opacity = Float(heat.opacity)
        let width = rect.width
        out.values.withUnsafeMutableBufferPointer { values in
            let v = values
            Parallel.forEach(rect.height, threads: threads) { row in
                let y = Double(rect.y + row) + 0.5
                for col in 0..<width {
                    let x = Double(rect.x + col) + 0.5
                    let i = (row * width + col) * 3
                    let base = SIMD3(v[i], v[i + 1], v[i + 2])
                    var result = base
                    if let panel {
                        // The diptych's heatmap panel: the density disc in full colour, anti-aliased at its rim.
                        let dx = x - panel.center.x, dy = y - panel.center.y
                        let edge = Float(min(max(panel.radius - (dx * dx + dy * dy).squareRoot() + 0.5, 0), 1))
                        if edge > 0 {
                            let t = density.sample(u: (dx / panel.radius + 1) / 2, v: (dy / panel.radius + 1) / 2)
                            result = base + (ColorMap.color(in: map, at: t) - base) * edge
                        }
                    }
                    if overlay {
                        for (atlas, density) in overlays {
                            let t = density.sample(u: (x - atlas.center.x + atlas.radius) / (2 * atlas.radius),
                                                   v: (y - atlas.center.y + atlas.radius) / (2 * atlas.radius))
                            // The sparse tail fades out so empty canvas keeps its own colour.
                            let alpha = opacity * min(t / 0.15, 1)
                            if alpha > 0 { result = Self.blend(blend, result, ColorMap.color(in: map, at: t), alpha) }
                        }
                    }
                    v[i] = result.x; v[i + 1] = result.y; v[i + 2] = result.z
                }
            }
        }
        return out
    }

    /// Separable blend modes (W3C compositing formulas) in sRGB, mixed in by `alpha`.
    @inline(__always)
    static func blend(_ mode: BlendMode, _ b: SIMD3<Float>, _ s: SIMD3<Float>, _ alpha: Float) -> SIMD3<Float> {
        let mixed: SIMD3<Float>
        switch mode {
        case .normal: mixed = s
        case .multiply: mixed = b * s
        case .screen: mixed = b + s - b * s
        case .add: mixed = (b + s).clamped(lowerBound: .zero, upperBound: .one)
        case .overlay:
            mixed = SIMD3(overlay(b.x, s.x), overlay(b.y, s.y), overlay(b.z, s.z))
        case .softLight:
            mixed = SIMD3(softLight(b.x, s.x), softLight(b.y, s.y), softLight(b.z, s.z))
        }
        return b + (mixed - b) * alpha
    }

    @inline(__always)
    static func overlay(_ cb: Float, _ cs: Float) -> Float {
        cb <= 0.5 ? 2 * cb * cs : 1 - 2 * (1 - cb) * (1 - cs)
    }

    @inline(__always)
    static func softLight(_ cb: Float, _ cs: Float) -> Float {
        if cs <= 0.5 { return cb - (1 - 2 * cs) * cb * (1 - cb) }
        let d: Float = cb <= 0.25 ? ((16 * cb - 12) * cb + 4) * cb : cb.squareRoot()
        return cb + (2 * cs - 1) * (d - cb)
    }

    /// Lays a premultiplied ARGB32 surface over float pixels starting at column `x0`.
    /// Lays `rows` of a premultiplied Cairo surface over the image, from image pixel (`x0`, `y0`).
    static func composite(_ surface: Surface, rows: Range<Int>, over image: inout FloatImage, at x0: Int, _ y0: Int, threads: Int) {
        let w = Int(surface.width), iw = image.width
        surface.withPixels { data, stride in
            image.values.withUnsafeMutableBufferPointer { v in
                let values = v
                Parallel.forEach(rows.count, threads: threads) { k in
                    let row = data.advanced(by: (rows.lowerBound + k) * stride).assumingMemoryBound(to: UInt32.self)
                    let y = y0 + k
                    for x in 0..<w {
                        let p = row[x]
                        let a = p >> 24
                        guard a != 0 else { continue }
                        let i = (y * iw + x0 + x) * 3
                        let keep = 1 - Float(a) / 255
                        values[i] = values[i] * keep + Float((p >> 16) & 0xff) / 255
                        values[i + 1] = values[i + 1] * keep + Float((p >> 8) & 0xff) / 255
                        values[i + 2] = values[i + 2] * keep + Float(p & 0xff) / 255
                    }
                }
            }
        }
    }
}

/// Bands rendered ahead, handed over in order. A cancelled pipeline (the consumer threw) lets the
/// bands already started finish and drops them.
private final class BandPipeline<Band>: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<Band, Error>?]
    private let ready: [DispatchSemaphore]
    private var taken = 0
    private(set) var cancelled = false

    init(count: Int) {
        results = Array(repeating: nil, count: count)
        ready = (0..<count).map { _ in DispatchSemaphore(value: 0) }
    }

    func finish(_ i: Int, _ result: Result<Band, Error>) {
        lock.lock()
        results[i] = result
        lock.unlock()
        ready[i].signal()
    }

    func take(_ i: Int) -> Result<Band, Error> {
        ready[i].wait()
        lock.lock()
        defer { lock.unlock() }
        let r = results[i]!
        results[i] = nil
        taken = i + 1
        return r
    }

    /// After the consumer stops: release the producer and wait for every started band.
    func cancel(draining count: Int, ahead: DispatchSemaphore) {
        lock.lock()
        let remaining = count - taken
        cancelled = remaining > 0
        lock.unlock()
        guard remaining > 0 else { return }
        for _ in 0..<remaining { ahead.signal() }
        for i in (count - remaining)..<count { ready[i].wait() }
    }
}
