import AtlasCore
import Composite
import Contexts
import Decode
import Graphics
import Highlight
import Layout
import Plan
import Styles

/// Everything data-dependent about one latent's atlas, worked out before anything is drawn: its
/// highlighted words, layout, page plan and the decoder's regions (and the region plan when an
/// outside painter is involved).
struct LatentPlan {
    var latent: Latent
    var highlights: [HighlightedContext]
    var layout: Layout
    var atlas: AtlasPlan
    /// One decoder region per context, in input order.
    var regions: [Region]
    /// Only with `--export-plan` or `--painting`.
    var regionPlan: RegionPlan?
}

extension Renderer {
    /// The plan step: highlight, layout, page plan, regions.
    static func plan(_ latent: Latent, request: RenderRequest, threads: Int, clock: inout StageClock) throws -> LatentPlan {
        let style = request.style
        let s = style.settings
        let highlights = clock.time("highlight") { Highlighter(settings: s.highlight).highlight(latent.contexts, family: latent.tokenFamily) }
        let layout = try clock.time("layout") { try Layout.compute(layoutInput(latent), settings: s.layout, seed: style.seed, threads: threads) }
        let typesetter = try Typesetter()
        return clock.time("plan") {
            var atlas = AtlasPlanner(settings: s).plan(latent: latent, highlights: highlights, layout: layout)
            atlas.typeset = Compositor(style: style.composite).typeset(atlas, with: typesetter)
            let regions = Self.regions(latent: latent, highlights: highlights, layout: layout, page: atlas.page, settings: s)
            let regionPlan = request.exportPlan != nil || request.painting != nil
                ? RegionPlanner.plan(latent: latent, highlights: highlights, layout: layout, page: atlas.page, style: style, threads: threads)
                : nil
            return LatentPlan(latent: latent, highlights: highlights, layout: layout, atlas: atlas, regions: regions, regionPlan: regionPlan)
        }
    }

    /// One decoder region per context: where the layout put it, its size, what it looks like
    /// (its embedding, or the built-in text embedding; its cluster) and its own words with the
    /// highlight weight of each (pieces glued without a space form one word).
    static func regions(latent: Latent, highlights: [HighlightedContext], layout: Layout, page: Page, settings: Style.Settings) -> [Region] {
        latent.contexts.indices.map { i in
            let c = latent.contexts[i]
            return Region(center: page.atlas.point(layout.positions[i]), radius: layout.radii[i] * page.atlas.radius,
                          features: c.embedding ?? TextEmbedding.embed(c.text, dimensions: settings.layout.embeddingDimensions),
                          words: paintedWords(highlights[i]), cluster: layout.clusters[i], seed: StableHash.of(c.id))
        }
    }

    static func paintedWords(_ h: HighlightedContext) -> [Lettering.Word] {
        var words: [Lettering.Word] = []
        for (k, w) in h.words.enumerated() {
            let weight = h.highlighted[k] ? h.weights[k] : 0
            if !w.spaceBefore, !words.isEmpty {
                words[words.count - 1].text += w.text
                words[words.count - 1].weight = max(words[words.count - 1].weight, weight)
            } else {
                words.append(Lettering.Word(text: w.text, weight: weight))
            }
        }
        return words.filter { !$0.text.isEmpty }
    }

    static func layoutInput(_ latent: Latent) -> LayoutInput {
        let c = latent.contexts
        let embeddings = c.allSatisfy { $0.embedding != nil } ? c.map { $0.embedding! } : nil
        let positions = c.allSatisfy { $0.position != nil } ? c.map { $0.position! } : nil
        return LayoutInput(texts: c.map(\.text), scores: c.map(\.score), embeddings: embeddings, positions: positions)
    }
}
