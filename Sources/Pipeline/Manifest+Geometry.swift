import AtlasCore
import Composite
import Encode
import Highlight
import Layout
import Styles

extension Manifest {
    /// Completes what the data browser reads: every cluster's label and colour, and — where the
    /// render recorded none (no painting) — each region's centre and radius in output pixels and
    /// its highlighted words without boxes.
    mutating func addGeometry(plan: AtlasPlan, layout: Layout, highlights: [HighlightedContext], palette: Palette) {
        let disc = plan.page.atlas
        if atlas == nil { atlas = Disc(center: [disc.center.x, disc.center.y], radius: disc.radius) }
        for i in contexts.indices where i < plan.marks.count {
            let mark = plan.marks[i]
            if contexts[i].centerPx == nil { contexts[i].centerPx = [mark.center.x, mark.center.y] }
            if contexts[i].radiusPx == nil { contexts[i].radiusPx = mark.radius }
            if contexts[i].highlighted == nil {
                contexts[i].highlighted = highlights[i].motifs.map { HighlightedWord(word: $0.word, weight: $0.weight, boxes: []) }
            }
        }
        let colors = palette.colors
        clusters = layout.clusterInfo.map { ClusterEntry(id: $0.id, label: $0.label, color: colors[$0.id % colors.count].hex) }
    }
}
