import AtlasCore
import Composite
import Contexts
import Decode
import Foundation
import Highlight
import Layout
import Plan
import Styles

/// The region plan of one latent, from the same stages a render runs (highlight, layout, page):
/// what `--export-plan` writes and what `--painting` checks a painting against.
enum RegionPlanner {
    static func plan(latent: Latent, highlights: [HighlightedContext], layout: Layout, page: Page, style: Style,
                     threads: Int) -> RegionPlan {
        let s = style.settings
        let contexts = latent.contexts
        let atlas = page.atlas
        let colors = s.palette.colors
        // The cells the built-in decoder paints: the balanced power diagram of the visible regions, in input order.
        let centers = contexts.indices.map { atlas.point(layout.positions[$0]) }
        let radii = contexts.indices.map { layout.radii[$0] * atlas.radius }
        let visible = contexts.indices.filter { radii[$0] > 0 }
        let seam = s.decode.seam * atlas.radius
        let diagram = PowerDiagram.balanced(centers: visible.map { centers[$0] }, radii: visible.map { radii[$0] },
                                            discCenter: atlas.center, discRadius: atlas.radius, seam: seam, threads: threads)
        var powerWeights = [Double](repeating: 0, count: contexts.count)
        for (k, i) in visible.enumerated() { powerWeights[i] = diagram.weights[k] }
        // Rank by score, strongest first; ties keep input order.
        let order = contexts.indices.sorted { contexts[$0].score != contexts[$1].score ? contexts[$0].score > contexts[$1].score : $0 < $1 }
        var rank = [Int](repeating: 0, count: contexts.count)
        for (r, i) in order.enumerated() { rank[i] = r }
        let regions = order.enumerated().map { label, i in
            let c = contexts[i]
            let cluster = layout.clusters[i]
            return RegionPlan.Region(
                id: c.id, label: label + 1, text: c.text, markedText: highlights[i].markedText,
                words: Renderer.paintedWords(highlights[i]).map { RegionPlan.Word(text: $0.text, weight: $0.weight) },
                highlights: highlights[i].motifs.map { RegionPlan.Highlight(word: $0.word, weight: $0.weight) },
                score: c.score, rank: rank[i], cluster: cluster,
                clusterLabel: layout.clusterInfo.indices.contains(cluster) ? layout.clusterInfo[cluster].label : "",
                color: colors[cluster % colors.count].hex,
                center: centers[i], radius: radii[i], powerWeight: powerWeights[i], seed: StableHash.of(c.id))
        }
        let title = latent.title ?? latent.description ?? latent.name
        return RegionPlan(
            latent: latent.name, title: title, style: .init(name: style.name, hash: style.hash), seed: style.seed,
            canvas: .init(width: page.width, height: page.height, dpi: s.canvas.dpi),
            disc: .init(center: atlas.center, radius: atlas.radius), seam: seam,
            background: .init(prompt: backgroundPrompt(title: title, color: s.palette.background), color: s.palette.background.hex),
            highlightColor: s.palette.highlight.hex, regions: regions)
    }

    /// Words for the background colour (a diffusion model reads no hex codes).
    static func backgroundPrompt(title: String, color: RGBColor) -> String {
        "the quiet background around a circular atlas of \u{201C}\(title)\u{201D}: an even field of \(colorWords(color)), fine paper grain, no text, no objects"
    }

    static func colorWords(_ color: RGBColor) -> String {
        let lab = color.oklab
        let lightness = lab.x < 0.3 ? "very dark" : lab.x < 0.5 ? "dark" : lab.x < 0.7 ? "mid-toned" : lab.x < 0.88 ? "light" : "very light"
        let chroma = (lab.y * lab.y + lab.z * lab.z).squareRoot()
        guard chroma >= 0.03 else { return "\(lightness) grey" }
        let hue = (atan2(lab.z, lab.y) * 180 / .pi + 360).truncatingRemainder(dividingBy: 360)
        let names: [(Double, String)] = [(20, "pink"), (50, "red"), (80, "orange"), (110, "yellow"), (150, "olive green"),
                                        (195, "green"), (235, "teal"), (270, "blue"), (310, "indigo"), (345, "violet"), (360, "pink")]
        let name = names.first { hue < $0.0 }?.1 ?? "pink"
        return "\(lightness) \(chroma < 0.08 ? "greyish " : "")\(name)"
    }
}
