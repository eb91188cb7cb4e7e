import AtlasCore
import Composite
import Encode
import Highlight
import Layout
import Styles

extension Manifest {
    /// Records where everything landed on the output page, in pixels (y down), for the data
    /// browser: the atlas disc, each region's centre and radius, the highlighted words, and every
    /// cluster's label and colour.
    mutating func addGeometry(plan: AtlasPlan, layout: Layout, highlights: [HighlightedContext], palette: Palette) {
        let disc = plan.page.atlas
        atlas = Disc(center: [disc.center.x, disc.center.y], radius: disc.radius)
        for i in contexts.indices where i < plan.marks.count {
            let mark = plan.marks[i]
            contexts[i].centerPx = [mark.center.x, mark.center.y]
            contexts[i].radiusPx = mark.radius
            contexts[i].highlighted = highlights[i].motifs.map { HighlightedWord(word: $0.word, weight: $0.weight) }
        }
        let colors = palette.colors
        clusters = layout.clusterInfo.map { ClusterEntry(id: $0.id, label: $0.label, color: colors[$0.id % colors.count].hex) }
    }
}
