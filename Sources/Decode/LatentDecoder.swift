import AtlasCore
import Foundation

/// Paints regions on a latent canvas by multi-region diffusion and hands back a `Painting` to decode.
public struct LatentDecoder {
    public let settings: DecodeSettings
    public let palette: Palette
    public let denoiser: any Denoiser
    /// Threads used for denoising, fusion and whole-image decoding; the result does not depend on it.
    public var maxThreads: Int

    public init(settings: DecodeSettings, palette: Palette, denoiser: any Denoiser = ProceduralDenoiser()) {
        self.settings = settings
        self.palette = palette
        self.denoiser = denoiser
        maxThreads = ProcessInfo.processInfo.activeProcessorCount
    }

    /// Runs the sampler. Regions tile the atlas disc (`discCenter`, `discRadius`, output pixels) as
    /// power cells; each paints its own words. `onStep(step, preview)` is called after every step
    /// (1…steps) with the current noisy canvas.
    public func paint(regions: [Region], width: Int, height: Int, discCenter: SIMD2<Double>, discRadius: Double,
                      seed: UInt64, onStep: ((_ step: Int, _ preview: Painting) -> Void)? = nil) throws -> Painting {
        guard width > 0, height > 0 else { throw DecodeError.invalidSize(width: width, height: height) }
        var check = SettingsCheck()
        settings.check(&check)
        guard check.violations.isEmpty else { throw DecodeError.invalidSettings(check.violations) }
        guard discCenter.x.isFinite, discCenter.y.isFinite, discRadius.isFinite, discRadius > 0 else {
            throw DecodeError.invalidGeometry(region: -1)
        }
        try validate(regions)
        var clock = Date()

        let canvasWidth = max(1, Int((Double(width) * settings.latentScale).rounded()))
        let canvasHeight = max(1, Int((Double(height) * settings.latentScale).rounded()))
        let zoom = (Double(canvasWidth) / Double(width) + Double(canvasHeight) / Double(height)) / 2
        let canvas = PixelRect(x: 0, y: 0, width: canvasWidth, height: canvasHeight)
        // Regions with radius 0 or whose centre lies outside the disc paint nothing.
        let visible = regions.indices.filter {
            let d = regions[$0].center - discCenter
            return regions[$0].radius > 0 && (d * d).sum() <= discRadius * discRadius
        }
        let diagram = PowerDiagram.balanced(centers: visible.map { regions[$0].center }, radii: visible.map { regions[$0].radius },
                                            discCenter: discCenter, discRadius: discRadius, seam: settings.seam * discRadius,
                                            threads: maxThreads)
        let cells = Parallel.map(visible.count, threads: maxThreads) { diagram.polygon($0) }
        let short = Double(min(width, height))
        let lettering = try Lettering.plan(
            words: visible.map { regions[$0].words }, cells: cells,
            options: .init(family: settings.textFamily, weight: settings.textWeight,
                           minimumSize: settings.textMinimum * short, maximumSize: settings.textMaximum * short,
                           padding: settings.textPadding, lineHeight: settings.lineHeight, fill: settings.textFill),
            threads: maxThreads)

        // The latent canvas's cells and letters, band by band.
        let band = 64
        let bands = (canvasHeight + band - 1) / band
        let rects = (0..<bands).map { PixelRect(x: 0, y: $0 * band, width: canvasWidth, height: min(band, canvasHeight - $0 * band)) }
        let maps = Parallel.map(bands, threads: maxThreads) { diagram.cells(in: rects[$0], zoom: zoom) }
        var letterFailure: Error?
        let letterBands: [[SIMD2<Float>]] = Parallel.map(bands, threads: maxThreads) { b in
            do { return try lettering.coverage(rects[b], zoom: zoom) } catch {
                letterFailure = error
                return []
            }
        }
        if let letterFailure { throw letterFailure }
        let map = LatentCells(width: canvasWidth, height: canvasHeight, bands: maps)
        let letters = letterBands.flatMap { $0 }

        var windows: [RegionWindow] = []
        let seamTexels = settings.seam * discRadius * zoom
        for (cell, polygon) in cells.enumerated() where polygon.count >= 3 {
            let xs = polygon.map(\.x), ys = polygon.map(\.y)
            let lo = SIMD2(xs.min()!, ys.min()!) * zoom - seamTexels - 2
            let hi = SIMD2(xs.max()!, ys.max()!) * zoom + seamTexels + 2
            let rect = PixelRect(x: Int(lo.x.rounded(.down)), y: Int(lo.y.rounded(.down)),
                                 width: Int(hi.x.rounded(.up) - lo.x.rounded(.down)), height: Int(hi.y.rounded(.up) - lo.y.rounded(.down)))
                .intersection(canvas)
            guard !rect.isEmpty else { continue }
            var coverage = [Float](repeating: 0, count: rect.width * rect.height)
            var own = [SIMD2<Float>](repeating: .zero, count: rect.width * rect.height)
            for y in 0..<rect.height {
                for x in 0..<rect.width {
                    let i = (rect.y + y) * canvasWidth + rect.x + x, o = y * rect.width + x
                    coverage[o] = map.share(of: Int32(cell), at: i)
                    if map.owner[i] == Int32(cell) { own[o] = letters[i] }
                }
            }
            let r = regions[visible[cell]]
            windows.append(RegionWindow(region: r, index: visible[cell], center: r.center * zoom, radius: r.radius * zoom,
                                        rect: rect, canvasWidth: canvasWidth, canvasHeight: canvasHeight,
                                        coverage: coverage, letters: own, typeSize: lettering.sizes[cell] * zoom))
        }
        let planning = -clock.timeIntervalSinceNow
        clock = Date()
        _ = clock
        let looks = windows.map {
            RegionLook(features: $0.region.features, cluster: $0.region.cluster, families: RegionLook.families(palette), settings: settings)
        }
        let context = Painting.Context(cells: map, letters: letters, lettering: lettering, looks: looks,
                                       windowOfCell: Self.windowIndex(windows: windows, visible: visible),
                                       discCenter: discCenter, discRadius: discRadius, zoom: zoom,
                                       regionOfCell: visible)
        return sample(with: denoiser, windows: windows, map: map, canvasWidth: canvasWidth, canvasHeight: canvasHeight,
                      output: (width, height), seed: seed, context: context, planning: planning, onStep: onStep)
    }

    /// For each visible cell, the index of its window (−1 when its cell is empty).
    private static func windowIndex(windows: [RegionWindow], visible: [Int]) -> [Int32] {
        var byRegion: [Int: Int] = [:]
        for (w, window) in windows.enumerated() { byRegion[window.index] = w }
        return visible.map { Int32(byRegion[$0] ?? -1) }
    }

    /// Opens the existential once, so the sampler is specialised for the denoiser's concrete type.
    private func sample<D: Denoiser>(with denoiser: D, windows: [RegionWindow], map: LatentCells, canvasWidth: Int,
                                     canvasHeight: Int, output: (width: Int, height: Int), seed: UInt64,
                                     context: Painting.Context, planning: Double,
                                     onStep: ((Int, Painting) -> Void)?) -> Painting {
        let sampler = MultiDiffusionSampler(denoiser: denoiser, settings: settings, palette: palette, threads: maxThreads)
        return sampler.run(windows: windows, cells: map, canvasWidth: canvasWidth, canvasHeight: canvasHeight, seed: seed,
                           output: output, context: context, planning: planning, onStep: onStep)
    }

    private func validate(_ regions: [Region]) throws {
        for (i, region) in regions.enumerated() {
            guard region.center.x.isFinite, region.center.y.isFinite, region.radius.isFinite, region.radius >= 0 else {
                throw DecodeError.invalidGeometry(region: i)
            }
            guard !region.features.isEmpty else { throw DecodeError.emptyFeatures(region: i) }
            for word in region.words where !(0...1).contains(word.weight) {
                throw DecodeError.invalidWordWeight(region: i, word: word.text)
            }
        }
    }
}
