import AtlasCore
import Encode
import Composite
import Contexts
import Foundation
import Highlight
import Layout
import Plan
import Styles

/// The two ways a render meets the region plan: writing it for an outside painter (`--export-plan`),
/// and taking that painter's image in place of the built-in decoder (`--painting`).
extension Renderer {
    /// Writes `<folder>/<latent>/plan.json` and its masks instead of rendering.
    static func exportPlan(_ plan: RegionPlan, to folder: String, threads: Int) throws -> RenderResult {
        let dir = (folder as NSString).appendingPathComponent(plan.latent)
        let files = try PlanFiles.write(plan, to: dir, threads: threads)
        return RenderResult(latent: plan.latent, files: files, manifestPath: files[0], digests: try digests(files), warnings: [],
                            width: plan.canvas.width, height: plan.canvas.height, fingerprint: plan.fingerprint)
    }

    /// The outside painting of `plan`, checked against it, as the compositor's painting source.
    static func externalPainting(_ input: PaintingInput, plan: RegionPlan, latents: [String],
                                 inputPath: String) throws -> (source: PaintingSource, warnings: [String]) {
        let path = try input.path(for: plan.latent, among: latents)
        let painting = try ExternalPainting.load(path, for: plan, planName: "the plan of latent '\(plan.latent)' in \(inputPath) (style \(plan.style.name), seed \(plan.seed))")
        return ({ painting.render($0) }, painting.warnings)
    }
}
