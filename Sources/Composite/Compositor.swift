import AtlasCore
import Graphics
#if canImport(Glibc)
import Glibc
#endif

/// Draws a finished plan. Raster layers (background, painting, heatmap) are composited in float per
/// tile so 16-bit output keeps their precision; vector layers (edges, circle, typography, furniture)
/// go through Cairo and are laid over each tile.
public struct Compositor: Sendable {
    public var style: CompositeStyle

    public init(style: CompositeStyle) { self.style = style }

    // MARK: Vector layers, bottom to top

    /// Draws the vector layers in `layers` onto `d`, whose origin is the page's top-left corner.
    public func drawVectors(_ plan: AtlasPlan, layers: Set<Layer>, hasPainting: Bool, on d: Drawing, typesetter: Typesetter) throws {
        if layers.contains(.painting) && !hasPainting { drawMarks(plan, on: d) }
        if layers.contains(.edges) { drawEdges(plan, on: d) }
        if layers.contains(.circle) && style.circle.show {
            drawCircle(plan.page.atlas, plan: plan, on: d)
            if let panel = plan.page.heatmapPanel { drawCircle(panel, plan: plan, on: d) }
        }
        if layers.contains(.typography) { drawTypography(plan, on: d, typesetter: typesetter) }
        if layers.contains(.furniture) { drawFurniture(plan, on: d) }
        try d.check("drawing the vector layers")
    }

    /// Regions as soft discs with a highlight-coloured core: the stand-in when no painting is decoded.
    func drawMarks(_ plan: AtlasPlan, on d: Drawing) {
        for m in plan.marks where m.radius > 0 {
            d.withState {
                var clear = m.color
                clear.alpha = 0
                var half = m.color
                half.alpha = 0.55
                d.setRadialGradient(center: m.center, inner: 0, outer: m.radius, stops: [(0, m.color), (0.55, half), (1, clear)])
                d.circle(center: m.center, radius: m.radius)
                d.fill()
                guard m.highlight > 0 else { return }
                var h = style.palette.highlight
                var hClear = h
                hClear.alpha = 0
                h.alpha = 0.9
                let core = m.radius * 0.45 * m.highlight.squareRoot()
                d.setRadialGradient(center: m.center, inner: 0, outer: core, stops: [(0, h), (1, hClear)])
                d.circle(center: m.center, radius: core)
                d.fill()
            }
        }
    }

    /// kNN edges, weakest first so strong ones sit on top; alpha and width follow the weight.
    func drawEdges(_ plan: AtlasPlan, on d: Drawing) {
        let e = style.edges
        let s = plan.page.shortSide
        // The planner has thinned and ordered them (weakest first).
        let edges = plan.edges
        guard !edges.isEmpty else { return }
        let center = plan.page.atlas.center
        func path(_ edge: AtlasPlan.EdgeLine) {
            d.move(to: edge.from)
            switch e.shape {
            case .straight:
                d.line(to: edge.to)
            case .curved:
                // A quadratic arc whose control point is the chord's midpoint pulled toward the centre,
                // by at most half the chord so short edges far out bend gently instead of hooking.
                let mid = (edge.from + edge.to) / 2
                let toCentre = center - mid
                let reach = (toCentre * toCentre).sum().squareRoot()
                let chord = ((edge.to - edge.from) * (edge.to - edge.from)).sum().squareRoot()
                let bend = min(reach * e.curvature, chord * 0.5)
                let control = reach > 0 ? mid + toCentre / reach * bend : mid
                d.curve(to: edge.to, control1: edge.from + (control - edge.from) * (2.0 / 3.0),
                        control2: edge.to + (control - edge.to) * (2.0 / 3.0))
            }
        }
        d.withState {
            d.setRoundCaps()
            if e.halo > 0 {
                for edge in edges {
                    d.setLineWidth(max(e.width * s * (0.35 + 0.65 * edge.weight), 0.25) * (1 + e.halo))
                    d.setColor(style.palette.background, opacity: e.opacity * edge.weight * 0.6)
                    path(edge)
                    d.stroke()
                }
            }
            for edge in edges {
                d.setLineWidth(max(e.width * s * (0.35 + 0.65 * edge.weight), 0.25))
                d.setColor(e.color, opacity: e.opacity * edge.weight)
                path(edge)
                d.stroke()
            }
        }
    }

    func drawCircle(_ disc: Page.Disc, plan: AtlasPlan, on d: Drawing) {
        let c = style.circle
        let s = plan.page.shortSide
        let lw = max(c.width * s, 0.5)
        d.withState {
            d.setLineWidth(lw)
            d.setColor(style.palette.ink, opacity: c.opacity)
            d.circle(center: disc.center, radius: disc.radius)
            d.stroke()
            if c.innerRings > 0 {
                d.setLineWidth(lw * 0.6)
                d.setColor(style.palette.ink, opacity: c.innerOpacity)
                for k in 1...c.innerRings {
                    d.circle(center: disc.center, radius: disc.radius * Double(k) / Double(c.innerRings + 1))
                    d.stroke()
                }
            }
            if c.ticks > 0 {
                d.setLineWidth(lw * 0.7)
                d.setColor(style.palette.ink, opacity: c.opacity)
                let len = c.tickLength * s
                let majorEvery = max(c.ticks / 12, 1)
                for k in 0..<c.ticks {
                    let a = 2 * Double.pi * Double(k) / Double(c.ticks)
                    let dir = SIMD2(sin(a), -cos(a))
                    d.move(to: disc.center + dir * disc.radius)
                    d.line(to: disc.center + dir * (disc.radius + len * (k % majorEvery == 0 ? 2 : 1)))
                    d.stroke()
                }
            }
        }
    }

    func drawTypography(_ plan: AtlasPlan, on d: Drawing, typesetter: Typesetter) {
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
            let title = typesetter.layout(plan.title, style: titleStyle)
            var idStyle = titleStyle
            idStyle.size = t.subtitleSize * s
            idStyle.weight = 400
            let id = typesetter.layout(plan.latentID, style: idStyle)
            if t.titleOnCircle {
                d.draw(title, around: page.atlas.center, radius: page.atlas.radius + gap, angle: 0, placement: .top)
                d.draw(id, around: page.atlas.center, radius: page.atlas.radius + gap, angle: Double.pi, placement: .bottom)
            } else {
                d.draw(title, at: SIMD2(page.atlas.center.x - title.size.x / 2, top))
                d.draw(id, at: SIMD2(page.atlas.center.x - id.size.x / 2, bottom - id.size.y))
            }
        }
        let body = TextStyle(family: t.family, size: t.bodySize * s, weight: 400, color: ink, letterSpacing: t.letterSpacing / 2)
        if t.showSubtitle, !plan.subtitle.isEmpty {
            var sub = body
            sub.weight = 500
            d.draw(typesetter.layout(plan.subtitle, style: sub, width: page.trim.width * 0.4), at: SIMD2(left, top))
        }
        if let caption = plan.caption, !caption.isEmpty {
            let block = typesetter.layout(caption, style: body, width: page.trim.width * 0.3)
            d.draw(block, at: SIMD2(left, bottom - block.size.y))
        }
        if t.showCredits, !t.credits.isEmpty {
            let block = typesetter.layout(t.credits, style: body, alignment: .right)
            d.draw(block, at: SIMD2(right - block.size.x, bottom - block.size.y))
        }
        if t.showLegend, !plan.legend.isEmpty { drawLegend(plan, body: body, right: right, top: top, on: d, typesetter: typesetter) }
        if t.showClusterLabels { drawClusterLabels(plan, on: d, typesetter: typesetter) }
    }

    /// The score → size key: one circle per legend step, labelled with its score.
    func drawLegend(_ plan: AtlasPlan, body: TextStyle, right: Double, top: Double, on d: Drawing, typesetter: Typesetter) {
        let heading = typesetter.layout("score", style: body, alignment: .right)
        let labels = LegendLabels.text(plan.legend.map(\.score)).map { typesetter.layout($0, style: body) }
        let gap = labels.first.map { 0.4 * $0.size.y } ?? 0
        // The legend keeps out of the atlas disc: its circles shrink (all alike) until the block's
        // nearest corner to the disc lies outside it.
        var scale = 1.0
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
        var block = layout(scale)
        let disc = plan.page.atlas
        for _ in 0..<20 {
            let nearest = SIMD2(min(max(disc.center.x, block.left), right), min(max(disc.center.y, top), block.bottom))
            let distance = ((nearest - disc.center) * (nearest - disc.center)).sum().squareRoot()
            if distance > disc.radius * 1.02 { break }
            scale *= 0.85
            block = layout(scale)
        }
        d.draw(heading, at: SIMD2(right - heading.size.x, top))
        let maxR = (plan.legend.map(\.radius).max() ?? 0) * scale
        for ((center, r), label) in zip(block.circles, labels) {
            d.withState {
                d.setLineWidth(max(0.0008 * plan.page.shortSide, 0.5))
                d.setColor(style.palette.ink, opacity: 0.8)
                d.circle(center: center, radius: r)
                d.stroke()
            }
            d.draw(label, at: SIMD2(center.x - maxR - label.size.x - gap, center.y - label.size.y / 2))
        }
    }

    /// Cluster names near their centres, over a soft background halo so they read on any painting.
    /// Strongest clusters first; a label that would overlap one already placed is dropped.
    func drawClusterLabels(_ plan: AtlasPlan, on d: Drawing, typesetter: Typesetter) {
        let t = style.typography
        let size = t.clusterLabelSize * plan.page.shortSide
        guard size > 0 else { return }
        let style = TextStyle(family: t.family, size: size, weight: 600, color: self.style.palette.ink, letterSpacing: t.letterSpacing)
        var placed: [SIMD4<Double>] = []
        let order = plan.clusterLabels.indices.sorted {
            plan.clusterLabels[$0].weight > plan.clusterLabels[$1].weight || (plan.clusterLabels[$0].weight == plan.clusterLabels[$1].weight && $0 < $1)
        }
        for label in order.map({ plan.clusterLabels[$0] }) where !label.text.isEmpty {
            let block = typesetter.layout(label.text, style: style, width: size * 12, alignment: .center)
            let origin = label.at - block.size / 2
            let box = SIMD4(origin.x - size * 0.3, origin.y - size * 0.1, block.size.x + size * 0.6, block.size.y + size * 0.2)
            let overlaps = placed.contains { b in
                box.x < b.x + b.z && b.x < box.x + box.z && box.y < b.y + b.w && b.y < box.y + box.w
            }
            guard !overlaps else { continue }
            placed.append(box)
            d.withState {
                d.setColor(self.style.palette.background, opacity: 0.7)
                d.rectangle(x: box.x, y: box.y, width: box.z, height: box.w)
                d.fill()
            }
            d.draw(block, at: origin)
        }
    }

    /// Crop marks at the trim corners, outside the trimmed page. A raster (PNG, TIFF, SVG) has
    /// nowhere else for them than its bleed; the PDF draws them in its slug instead, outside the
    /// BleedBox (`drawCropMarks` with `Page.pdfMarks`).
    func drawFurniture(_ plan: AtlasPlan, on d: Drawing) {
        guard style.print.cropMarks else { return }
        let p = plan.page
        drawCropMarks(trim: p.trim, offset: max(p.bleed * 0.25, 2), length: max(p.bleed * 0.7, 8),
                      lineWidth: max(0.0006 * p.shortSide, 0.5), on: d)
    }

    /// Two hairlines at each corner of `trim`, along its edges' extensions, from `offset` to
    /// `offset + length` beyond it, in black.
    public func drawCropMarks(trim: (x: Double, y: Double, width: Double, height: Double), offset: Double, length: Double,
                              lineWidth: Double, on d: Drawing) {
        let xs = [trim.x, trim.x + trim.width], ys = [trim.y, trim.y + trim.height]
        d.withState {
            d.setLineWidth(lineWidth)
            d.setColor(RGBColor(red: 0, green: 0, blue: 0))
            for (i, x) in xs.enumerated() {
                for (j, y) in ys.enumerated() {
                    let hx = i == 0 ? -1.0 : 1.0, vy = j == 0 ? -1.0 : 1.0
                    d.move(to: SIMD2(x + hx * offset, y))
                    d.line(to: SIMD2(x + hx * (offset + length), y))
                    d.move(to: SIMD2(x, y + vy * offset))
                    d.line(to: SIMD2(x, y + vy * (offset + length)))
                }
            }
            d.stroke()
        }
    }
}
