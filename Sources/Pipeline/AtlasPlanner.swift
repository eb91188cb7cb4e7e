import AtlasCore
import Composite
import Contexts
import Highlight
import Layout
import Styles

/// Works out everything data-dependent about an atlas (datamapplot's planning step): where each
/// region lands on the page, its colour, and the text.
struct AtlasPlanner {
    var settings: Style.Settings

    func plan(latent: Latent, highlights: [HighlightedContext], layout: Layout) -> AtlasPlan {
        let page = Page(canvas: settings.canvas)
        let colors = settings.palette.colors
        let marks = latent.contexts.indices.map { i in
            AtlasPlan.Mark(center: page.point(layout.positions[i]), radius: layout.radii[i] * page.radius,
                           color: colors[layout.clusters[i] % colors.count],
                           highlight: highlights[i].motifs.map(\.weight).max() ?? 0)
        }
        let title = latent.title ?? latent.description ?? latent.name
        let subtitle = [latent.model, latent.layer.map { "layer \($0)" }, latent.index.map { "latent \($0)" }]
            .compactMap { $0 }.joined(separator: " · ")
        let caption = latent.description.flatMap { $0 == title ? nil : $0 }
        return AtlasPlan(page: page, marks: marks, title: title, subtitle: subtitle, latentID: latent.name, caption: caption)
    }
}
