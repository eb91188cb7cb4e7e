import AtlasCore
import Composite
import Decode
import Encode
import Foundation
import Graphics
import Plan

/// What fills the disc: the built-in decoder's painting, an outside painter's image, or nothing
/// (the painting layer is off, and the compositor draws its stand-in marks).
struct PaintedAtlas {
    var source: PaintingSource?
    /// The words the decoder typeset, where it put them (for the manifest's highlight boxes); nil
    /// when the built-in decoder did not paint.
    var words: [Lettering.PlacedWord]?
    /// `--save-steps` previews written while painting.
    var stepFiles: [String] = []
    var warnings: [String] = []
}

extension Renderer {
    /// The paint step.
    static func paint(_ plan: LatentPlan, request: RenderRequest, base: String, latents: [String], threads: Int,
                      clock: inout StageClock) throws -> PaintedAtlas {
        if let input = request.painting, let regionPlan = plan.regionPlan {
            let (source, warnings) = try clock.time("painting") {
                try externalPainting(input, plan: regionPlan, latents: latents.isEmpty ? [plan.latent.name] : latents, inputPath: request.input)
            }
            return PaintedAtlas(source: source, words: nil, warnings: warnings)
        }
        let s = request.style.settings
        guard request.style.composite.layers.contains(.painting) else { return PaintedAtlas() }
        var decoder = LatentDecoder(settings: s.decode, palette: s.palette)
        decoder.maxThreads = threads
        var steps: [String] = []
        var stepError: Error?
        let every = request.saveSteps ?? 0
        let page = plan.atlas.page
        let result = try clock.time("decode") {
            try decoder.paint(regions: plan.regions, width: page.width, height: page.height,
                              discCenter: page.atlas.center, discRadius: page.atlas.radius, seed: request.style.seed) { step, preview in
                guard every > 0, step % every == 0 || step == s.decode.steps, stepError == nil else { return }
                let path = "\(base).step-\(String(format: "%03d", step)).png"
                do {
                    try RenderFiles.writePNG(preview.image(), to: path, options: PNGOptions(compressionLevel: 1))
                    steps.append(path)
                } catch {
                    stepError = error
                }
            }
        }
        if let stepError { throw stepError }
        clock.record("decode.planning", result.timings.planning)
        clock.record("decode.conditioning", result.timings.conditioning)
        clock.record("decode.denoise", result.timings.denoise)
        clock.record("decode.fusion", result.timings.fusion)
        return PaintedAtlas(source: { result.render($0) }, words: result.words, stepFiles: steps)
    }
}
