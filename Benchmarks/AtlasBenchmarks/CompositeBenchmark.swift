import AtlasCore
import Composite
import Foundation
import Graphics
#if canImport(Glibc)
import Glibc
#endif

/// Issue 5's figures: compositing alone at 4096² (250 regions, 3 750 edges, ring, text), and PNG
/// encoding of an 8192² image against Cairo's own writer.
enum CompositeBenchmark {
    static func run(arguments: [String]) {
        do {
            try compositing(size: 4096)
            try encoding(size: 8192)
        } catch {
            print("composite benchmark failed: \(error)")
        }
    }

    /// The same synthetic scene `Benchmarks/composite/pycairo_composite.py` draws.
    static func scene(size: Int) -> (AtlasPlan, CompositeStyle) {
        let canvas = CanvasSettings(width: size, height: size, dpi: 300, margin: 0.07)
        let page = Page(canvas: canvas)
        let colors = ["#264653", "#2a9d8f", "#8ab17d", "#e9c46a", "#f4a261", "#6d597a"].compactMap(RGBColor.init(hex:))
        var rng = SeededGenerator(seed: 1)
        let points: [SIMD2<Double>] = (0..<250).map { i in
            let r = (Double(i) / 249).squareRoot() * 0.95, a = rng.uniform() * 2 * Double.pi
            return SIMD2(r * cos(a), r * sin(a))
        }
        let marks = points.enumerated().map { i, p in
            AtlasPlan.Mark(center: page.atlas.point(p), radius: page.atlas.radius * (0.09 - 0.06 * Double(i) / 249),
                           color: colors[i % colors.count], highlight: i % 3 == 0 ? 0.8 : 0)
        }
        let edges = (0..<3750).map { k in
            AtlasPlan.EdgeLine(from: page.atlas.point(points[k % 250]), to: page.atlas.point(points[(k * 7 + k / 250 + 1) % 250]),
                               weight: 0.3 + 0.7 * rng.uniform())
        }
        let plan = AtlasPlan(page: page, marks: marks, edges: edges, clusterLabels: [], legend: [], density: nil,
                             title: "Light under the sea", subtitle: "gemma-2-2b · layer 12 · latent 4417",
                             latentID: "sea-light", caption: "glowing and bioluminescent things at sea")
        let palette = Palette(background: RGBColor(hex: "#f4efe6")!, ink: RGBColor(hex: "#1d1b19")!, highlight: RGBColor(hex: "#e4572e")!, colors: colors)
        let style = CompositeStyle(
            palette: palette,
            circle: CircleSettings(show: true, width: 0.0018, opacity: 0.9, innerRings: 3, innerOpacity: 0.18, ticks: 120, tickLength: 0.006),
            typography: TypographySettings(family: "Inter", titleSize: 0.022, titleWeight: 600, subtitleSize: 0.012, bodySize: 0.009,
                                           letterSpacing: 0.04, titleOnCircle: true, showTitle: true, showSubtitle: true, showCredits: true,
                                           credits: "LatentAtlas", showLegend: false, showClusterLabels: false, clusterLabelSize: 0.011),
            edges: EdgeSettings(shape: .curved, curvature: 0.2, width: 0.0007, opacity: 0.45, minWeight: 0, halo: 0, color: palette.ink),
            heatmap: HeatmapSettings(mode: .overlay, colormap: .magma, bandwidth: 0.07, opacity: 0.2, blend: .softLight, resolution: 256),
            print: PrintSettings(bleed: 0, cropMarks: false), composition: .single,
            layers: [.painting, .edges, .circle, .typography])
        return (plan, style)
    }

    static func compositing(size: Int) throws {
        var (plan, style) = scene(size: size)
        let compositor = Compositor(style: style)
        // Typeset once, as a render's plan step does.
        plan.typeset = compositor.typeset(plan, with: try Typesetter())
        let oneSurface = try bestTime {
            let surface = try Surface.image(width: size, height: size)
            let d = try Drawing(surface)
            d.setColor(style.palette.background)
            d.paint()
            try compositor.drawVectors(plan, layers: style.layers, hasPainting: false, on: d)
        }
        let raster = AtlasRaster(compositor: compositor, plan: plan, painting: nil)
        let banded = try bestTime { try raster.bands(rows: size / 2, layers: style.layers) { _, _ in } }
        print("compositing \(size)² (250 regions, 3 750 curved edges, ring, text):")
        print("  one Cairo surface, one thread:        \(format(oneSurface)) s")
        print("  as rendered: 2 bands on 2 cores, float composite: \(format(banded)) s")
        print("  compare: python3 Benchmarks/composite/pycairo_composite.py \(size)")
    }

    static func encoding(size: Int) throws {
        // A painted-looking image: smooth gradients plus fine grain, like a decoded atlas.
        let surface = try Surface.image(width: size, height: size)
        let d = try Drawing(surface)
        d.setRadialGradient(center: SIMD2(Double(size) / 2, Double(size) / 2), inner: 0, outer: Double(size) / 1.4,
                            stops: [(0, RGBColor(hex: "#e9c46a")!), (0.5, RGBColor(hex: "#2a9d8f")!), (1, RGBColor(hex: "#264653")!)])
        d.paint()
        let (plan, style) = scene(size: size)
        try Compositor(style: style).drawVectors(plan, layers: [.painting, .edges, .circle], hasPainting: false, on: d)
        var image = surface.rgbaImage()
        let noise = CounterRandom(seed: 9)
        for i in 0..<(size * size) {
            let n = Int(noise.bits(UInt64(i)) & 7) - 3
            for c in 0..<3 { image.pixels[i * 4 + c] = UInt8(clamping: Int(image.pixels[i * 4 + c]) + n) }
        }
        let rgb = FloatImage(width: size, height: size, values: (0..<(size * size * 3)).map { Float(image.pixels[($0 / 3) * 4 + $0 % 3]) / 255 })
        let opaque = try Surface.image(image)
        let dir = NSTemporaryDirectory()
        let megabytes = Double(size * size * 3) / 1_048_576
        print("PNG encode of a \(size)² RGB image (\(format(megabytes, 0)) MB raw):")
        let cairoPath = dir + "/bench-cairo.png"
        let cairo = try bestTime(repeats: 2) { try opaque.writeCairoPNG(to: cairoPath) }
        print("  cairo_surface_write_to_png:          \(format(cairo, 2)) s  \(format(megabytes / cairo, 1)) MB/s  \(format(fileSizeMB(cairoPath), 1)) MB")
        for (label, level, filter) in [("libpng level 6 (Cairo's setting)", 6, PNGOptions.Filter.adaptive),
                                       ("level 3, adaptive (styles' default)", 3, .adaptive),
                                       ("level 1, sub (fast option)", 1, .sub)] {
            let path = dir + "/bench-atlas-\(level).png"
            let t = try bestTime(repeats: 2) { try PNGFile.write(rgb, to: path, options: PNGOptions(compressionLevel: level, filter: filter)) }
            print("  \(label.padding(toLength: 36, withPad: " ", startingAt: 0)) \(format(t, 2)) s  \(format(megabytes / t, 1)) MB/s  \(format(fileSizeMB(path), 1)) MB")
        }
        print("  peak memory: \(format(peakMemoryMB(), 0)) MB")
    }
}
