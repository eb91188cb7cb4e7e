import AtlasCore
import Foundation

/// Paints regions on a latent canvas by multi-region diffusion and hands back a `Painting` to decode.
public struct Decoder {
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

    /// Runs the sampler. Regions outside the canvas or with radius 0 paint nothing.
    /// `onStep(step, preview)` is called after every step (1…steps) with the current noisy canvas.
    public func paint(regions: [Region], width: Int, height: Int, seed: UInt64,
                      onStep: ((_ step: Int, _ preview: Painting) -> Void)? = nil) throws -> Painting {
        guard width > 0, height > 0 else { throw DecodeError.invalidSize(width: width, height: height) }
        var check = SettingsCheck()
        settings.check(&check)
        guard check.violations.isEmpty else { throw DecodeError.invalidSettings(check.violations) }
        try validate(regions)

        let canvasWidth = max(1, Int((Double(width) * settings.latentScale).rounded()))
        let canvasHeight = max(1, Int((Double(height) * settings.latentScale).rounded()))
        let scale = SIMD2(Double(canvasWidth) / Double(width), Double(canvasHeight) / Double(height))
        let canvas = PixelRect(x: 0, y: 0, width: canvasWidth, height: canvasHeight)
        let reach = RegionMask.reach(settings)
        var windows: [RegionWindow] = []
        for (index, region) in regions.enumerated() where region.radius > 0 {
            let center = region.center * scale
            let radius = region.radius * (scale.x + scale.y) / 2
            let extent = radius * reach + 1
            // Clamped before converting so far-away regions cannot overflow Int.
            let lo = ((center - extent).rounded(.down)).clamped(lowerBound: SIMD2(-1, -1), upperBound: SIMD2(Double(canvasWidth), Double(canvasHeight)))
            let hi = ((center + extent).rounded(.up)).clamped(lowerBound: SIMD2(-1, -1), upperBound: SIMD2(Double(canvasWidth), Double(canvasHeight)))
            let rect = PixelRect(x: Int(lo.x), y: Int(lo.y), width: Int(hi.x - lo.x), height: Int(hi.y - lo.y))
                .intersection(canvas)
            guard !rect.isEmpty else { continue }
            windows.append(RegionWindow(region: region, index: index, center: center, radius: radius, rect: rect,
                                        canvasWidth: canvasWidth, canvasHeight: canvasHeight))
        }
        return sample(with: denoiser, windows: windows, canvasWidth: canvasWidth, canvasHeight: canvasHeight,
                      output: (width, height), seed: seed, onStep: onStep)
    }

    /// Opens the existential once, so the sampler is specialised for the denoiser's concrete type.
    private func sample<D: Denoiser>(with denoiser: D, windows: [RegionWindow], canvasWidth: Int, canvasHeight: Int,
                                     output: (width: Int, height: Int), seed: UInt64,
                                     onStep: ((Int, Painting) -> Void)?) -> Painting {
        let sampler = MultiDiffusionSampler(denoiser: denoiser, settings: settings, palette: palette, threads: maxThreads)
        return sampler.run(windows: windows, canvasWidth: canvasWidth, canvasHeight: canvasHeight, seed: seed,
                           output: output, onStep: onStep)
    }

    private func validate(_ regions: [Region]) throws {
        for (i, region) in regions.enumerated() {
            guard region.center.x.isFinite, region.center.y.isFinite, region.radius.isFinite, region.radius >= 0 else {
                throw DecodeError.invalidGeometry(region: i)
            }
            guard !region.features.isEmpty else { throw DecodeError.emptyFeatures(region: i) }
            for motif in region.motifs where !(0...1).contains(motif.weight) {
                throw DecodeError.invalidMotifWeight(region: i, word: motif.word)
            }
        }
    }
}
