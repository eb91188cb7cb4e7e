import AtlasCore
import Graphics

/// The page's words and their furniture (title, id, subtitle, caption, credits, the score legend,
/// cluster labels and their halos), typeset once per render into plain outlines and shapes: any
/// band, on any thread, draws them without Pango (which is not thread-safe and slow to re-run).
public struct TypesetPage: Sendable {
    public enum Item: Sendable {
        /// Text whose logical box has its top-left corner at `origin`.
        case text(GlyphOutline, origin: SIMD2<Double>, color: RGBColor)
        /// One line of text bent along a circle (`size` is its type size).
        case arc(GlyphOutline, center: SIMD2<Double>, radius: Double, angle: Double, placement: CircularPlacement,
                 size: Double, color: RGBColor)
        /// A stroked circle (a legend key).
        case ring(center: SIMD2<Double>, radius: Double, lineWidth: Double, color: RGBColor, opacity: Double)
        /// A filled rectangle (x, y, width, height): the halo behind a cluster label.
        case box(SIMD4<Double>, color: RGBColor, opacity: Double)
    }

    /// In drawing order.
    public var items: [Item]

    public init(items: [Item] = []) { self.items = items }
}

extension Compositor {
    /// Typesets the plan's text as the style places it: the title and latent id on the circle (or
    /// above and below it), subtitle, caption and credits in the corners, the legend keeping out of
    /// the disc, and the cluster labels that do not overlap a stronger one.
    public func typeset(_ plan: AtlasPlan, with typesetter: Typesetter) -> TypesetPage {
        var items: [TypesetPage.Item] = []
        let t = style.typography
        let page = plan.page
        let s = page.shortSide
        let ink = style.palette.ink
        let gap = (style.circle.tickLength * 2 + 0.006) * s
        let corner = 0.025 * s
        let left = page.trim.x + corner, top = page.trim.y + corner
        let right = page.trim.x + page.trim.width - corner, bottom = page.trim.y + page.trim.height - corner
        if t.showTitle {
            let titleStyle = TextStyle(family: t.family, size: t.titleSize * s, weight: t.titleWeight, color: ink, letterSpacing: t.letterSpacing)
            var idStyle = titleStyle
            idStyle.size = t.subtitleSize * s
            idStyle.weight = 400
            if t.titleOnCircle {
                let radius = page.atlas.radius + gap
                items.append(.arc(typesetter.outline(plan.title, style: titleStyle, flat: true), center: page.atlas.center, radius: radius,
                                  angle: 0, placement: .top, size: titleStyle.size, color: ink))
                items.append(.arc(typesetter.outline(plan.latentID, style: idStyle, flat: true), center: page.atlas.center, radius: radius,
                                  angle: Double.pi, placement: .bottom, size: idStyle.size, color: ink))
            } else {
                let title = typesetter.outline(plan.title, style: titleStyle)
                let id = typesetter.outline(plan.latentID, style: idStyle)
                items.append(.text(title, origin: SIMD2(page.atlas.center.x - title.size.x / 2, top), color: ink))
                items.append(.text(id, origin: SIMD2(page.atlas.center.x - id.size.x / 2, bottom - id.size.y), color: ink))
            }
        }
        let body = TextStyle(family: t.family, size: t.bodySize * s, weight: 400, color: ink, letterSpacing: t.letterSpacing / 2)
        if t.showSubtitle, !plan.subtitle.isEmpty {
            var sub = body
            sub.weight = 500
            items.append(.text(typesetter.outline(plan.subtitle, style: sub, width: page.trim.width * 0.4), origin: SIMD2(left, top), color: ink))
        }
        if let caption = plan.caption, !caption.isEmpty {
            let block = typesetter.outline(caption, style: body, width: page.trim.width * 0.3)
            items.append(.text(block, origin: SIMD2(left, bottom - block.size.y), color: ink))
        }
        if t.showCredits, plan.drawsCredits, !t.credits.isEmpty {
            let block = typesetter.outline(t.credits, style: body, alignment: .right)
            items.append(.text(block, origin: SIMD2(right - block.size.x, bottom - block.size.y), color: ink))
        }
        if t.showLegend, !plan.legend.isEmpty { items += legend(plan, body: body, right: right, top: top, typesetter: typesetter) }
        if t.showClusterLabels { items += clusterLabels(plan, typesetter: typesetter) }
        return TypesetPage(items: items)
    }

    /// The score → size key: one circle per legend step, labelled with its score.
    func legend(_ plan: AtlasPlan, body: TextStyle, right: Double, top: Double, typesetter: Typesetter) -> [TypesetPage.Item] {
        let heading = typesetter.outline("score", style: body, alignment: .right)
        let labels = LegendLabels.text(plan.legend.map(\.score)).map { typesetter.outline($0, style: body) }
        let gap = labels.first.map { 0.4 * $0.size.y } ?? 0
        // The legend keeps out of the atlas disc: its circles shrink (all alike) until the block's
        // nearest corner to the disc lies outside it.
        func layout(_ scale: Double) -> (circles: [(SIMD2<Double>, Double)], left: Double, bottom: Double) {
            let maxR = (plan.legend.map(\.radius).max() ?? 0) * scale
            var y = top + heading.size.y * 1.4
            var circles: [(SIMD2<Double>, Double)] = []
            var left = right - heading.size.x
            for (entry, label) in zip(plan.legend, labels) {
                let r = entry.radius * scale
                let cy = y + max(r, label.size.y / 2)
                circles.append((SIMD2(right - maxR, cy), r))
                left = min(left, right - 2 * maxR - gap - label.size.x)
                y = cy + max(r, label.size.y / 2) + label.size.y * 0.5
            }
            return (circles, left, y)
        }
        var scale = 1.0
        var block = layout(scale)
        let disc = plan.page.atlas
        for _ in 0..<20 {
            let nearest = SIMD2(min(max(disc.center.x, block.left), right), min(max(disc.center.y, top), block.bottom))
            let distance = ((nearest - disc.center) * (nearest - disc.center)).sum().squareRoot()
            if distance > disc.radius * 1.02 { break }
            scale *= 0.85
            block = layout(scale)
        }
        let ink = style.palette.ink
        var items: [TypesetPage.Item] = [.text(heading, origin: SIMD2(right - heading.size.x, top), color: ink)]
        let maxR = (plan.legend.map(\.radius).max() ?? 0) * scale
        for ((center, r), label) in zip(block.circles, labels) {
            items.append(.ring(center: center, radius: r, lineWidth: max(0.0008 * plan.page.shortSide, 0.5), color: ink, opacity: 0.8))
            items.append(.text(label, origin: SIMD2(center.x - maxR - label.size.x - gap, center.y - label.size.y / 2), color: ink))
        }
        return items
    }

    /// Cluster names near their centres, over a soft background halo so they read on any painting.
    /// Strongest clusters first; a label that would overlap one already placed is dropped.
    func clusterLabels(_ plan: AtlasPlan, typesetter: Typesetter) -> [TypesetPage.Item] {
        let t = style.typography
        let size = t.clusterLabelSize * plan.page.shortSide
        guard size > 0 else { return [] }
        let text = TextStyle(family: t.family, size: size, weight: 600, color: style.palette.ink, letterSpacing: t.letterSpacing)
        var placed: [SIMD4<Double>] = []
        var items: [TypesetPage.Item] = []
        let order = plan.clusterLabels.indices.sorted {
            plan.clusterLabels[$0].weight > plan.clusterLabels[$1].weight || (plan.clusterLabels[$0].weight == plan.clusterLabels[$1].weight && $0 < $1)
        }
        for label in order.map({ plan.clusterLabels[$0] }) where !label.text.isEmpty {
            let block = typesetter.outline(label.text, style: text, width: size * 12, alignment: .center)
            let origin = label.at - block.size / 2
            let box = SIMD4(origin.x - size * 0.3, origin.y - size * 0.1, block.size.x + size * 0.6, block.size.y + size * 0.2)
            let overlaps = placed.contains { b in
                box.x < b.x + b.z && b.x < box.x + box.z && box.y < b.y + b.w && b.y < box.y + box.w
            }
            guard !overlaps else { continue }
            placed.append(box)
            items.append(.box(box, color: style.palette.background, opacity: 0.7))
            items.append(.text(block, origin: origin, color: style.palette.ink))
        }
        return items
    }

    /// Draws what `typeset` laid out.
    func drawTypography(_ plan: AtlasPlan, on d: Drawing) {
        for item in plan.typeset.items {
            switch item {
            case let .text(outline, origin, color):
                d.fill(outline, at: origin, color: color)
            case let .arc(outline, center, radius, angle, placement, size, color):
                d.fill(outline, around: center, radius: radius, angle: angle, placement: placement, size: size, color: color)
            case let .ring(center, radius, lineWidth, color, opacity):
                d.withState {
                    d.setLineWidth(lineWidth)
                    d.setColor(color, opacity: opacity)
                    d.circle(center: center, radius: radius)
                    d.stroke()
                }
            case let .box(box, color, opacity):
                d.withState {
                    d.setColor(color, opacity: opacity)
                    d.rectangle(x: box.x, y: box.y, width: box.z, height: box.w)
                    d.fill()
                }
            }
        }
    }
}
