import AtlasCore
import Composite
import Contexts
import Highlight
import Layout
import Styles

/// Works out everything data-dependent about an atlas (datamapplot's planning step): where each
/// region lands on the page, its colour, the edges, labels, legend, density and text.
struct AtlasPlanner {
    var settings: Style.Settings
    /// Where the atlas goes (a pair's half), instead of the page the settings describe.
    var page: Page?
    /// The score range the density weights are normalised over (a pair's union), instead of the latent's own.
    var scoreRange: ClosedRange<Double>?

    func plan(latent: Latent, highlights: [HighlightedContext], layout: Layout) -> AtlasPlan {
        let page = self.page ?? Page(canvas: settings.canvas, composition: settings.composition, bleedMillimetres: settings.print.bleed,
                                     cropMarks: settings.print.cropMarks)
        let atlas = page.atlas
        let colors = settings.palette.colors
        let contexts = latent.contexts
        let marks = contexts.indices.map { i in
            AtlasPlan.Mark(center: atlas.point(layout.positions[i]), radius: layout.radii[i] * atlas.radius,
                           color: colors[layout.clusters[i] % colors.count],
                           highlight: highlights[i].motifs.map(\.weight).max() ?? 0)
        }
        let edges = Self.thinned(layout.edges, nodes: contexts.count, settings: settings.edges).map {
            AtlasPlan.EdgeLine(from: atlas.point(layout.positions[$0.a]), to: atlas.point(layout.positions[$0.b]), weight: $0.weight)
        }
        let labels = layout.clusterInfo.filter { !$0.members.isEmpty }.map { cluster in
            let centre = cluster.members.map { layout.positions[$0] }.reduce(SIMD2<Double>.zero, +) / Double(cluster.members.count)
            return AtlasPlan.Label(text: cluster.label, at: atlas.point(centre), weight: Double(cluster.members.count))
        }
        let legend = Self.legend(scores: contexts.map(\.score), radii: layout.radii, atlasRadius: atlas.radius)
        // Density of where regions land, weighted by score and area.
        let scores = contexts.map(\.score)
        let lo = scoreRange?.lowerBound ?? scores.min() ?? 0, hi = scoreRange?.upperBound ?? scores.max() ?? 1
        let weights = contexts.indices.map { i in
            let s = hi > lo ? (scores[i] - lo) / (hi - lo) : 1
            return (0.25 + 0.75 * s) * layout.radii[i] * layout.radii[i]
        }
        let density = DensityGrid.estimate(points: layout.positions, weights: weights, bandwidth: settings.heatmap.bandwidth,
                                           size: settings.heatmap.resolution)
        let title = latent.title ?? latent.description ?? latent.name
        let subtitle = [latent.model, latent.layer.map { "layer \($0)" }, latent.index.map { "latent \($0)" }]
            .compactMap { $0 }.joined(separator: " · ")
        let caption = latent.description.flatMap { $0 == title ? nil : $0 }
        return AtlasPlan(page: page, marks: marks, edges: edges, clusterLabels: labels, legend: legend, density: density,
                         title: title, subtitle: subtitle, latentID: latent.name, caption: caption)
    }

    /// The score legend: the strongest, the median and the weakest of `scores` (ties in index order),
    /// each with its region's radius (`radii` in unit-disc units) on a disc of `atlasRadius`.
    static func legend(scores: [Double], radii: [Double], atlasRadius: Double) -> [AtlasPlan.LegendEntry] {
        let byScore = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        guard let first = byScore.first, let last = byScore.last else { return [] }
        var seen = Set<Int>()
        return [first, byScore[byScore.count / 2], last].filter { seen.insert($0).inserted }.map {
            AtlasPlan.LegendEntry(score: scores[$0], radius: radii[$0] * atlasRadius)
        }
    }

    /// The edges worth drawing: at least `min_weight`, each among the `per_node` strongest of one of
    /// its ends, weakest first so strong ones are drawn on top (ties in list order).
    static func thinned(_ edges: [Edge], nodes: Int, settings: EdgeSettings) -> [Edge] {
        let strong = edges.indices.filter { edges[$0].weight >= settings.minWeight }
        var keep = Set(strong)
        if settings.perNode > 0 {
            var byNode = [[Int]](repeating: [], count: nodes)
            for i in strong {
                byNode[edges[i].a].append(i)
                byNode[edges[i].b].append(i)
            }
            keep = []
            for list in byNode {
                let best = list.sorted { edges[$0].weight > edges[$1].weight || (edges[$0].weight == edges[$1].weight && $0 < $1) }
                keep.formUnion(best.prefix(settings.perNode))
            }
        }
        return keep.sorted { edges[$0].weight < edges[$1].weight || (edges[$0].weight == edges[$1].weight && $0 < $1) }.map { edges[$0] }
    }
}
