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
    public func drawVectors(_ plan: AtlasPlan, layers: Set<Layer>, hasPainting: Bool, on d: Drawing) throws {
        if layers.contains(.painting) && !hasPainting { drawMarks(plan, on: d) }
        if layers.contains(.edges) { drawEdges(plan, on: d) }
        if layers.contains(.circle) && style.circle.show {
            drawCircle(plan.page.atlas, plan: plan, on: d)
            if let panel = plan.page.heatmapPanel { drawCircle(panel, plan: plan, on: d) }
        }
        if layers.contains(.typography) { drawTypography(plan, on: d) }
        if layers.contains(.furniture) { drawFurniture(plan, on: d) }
        for companion in plan.companions {
            try drawVectors(companion, layers: layers.subtracting([.furniture]), hasPainting: hasPainting, on: d)
        }
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

    /// Crop marks at the sheet's trim corners (a pair's whole sheet), outside the trimmed page. A raster (PNG, TIFF, SVG) has
    /// nowhere else for them than its bleed; the PDF draws them in its slug instead, outside the
    /// BleedBox (`drawCropMarks` with `Page.pdfMarks`).
    func drawFurniture(_ plan: AtlasPlan, on d: Drawing) {
        guard style.print.cropMarks else { return }
        let p = plan.page
        drawCropMarks(trim: p.sheet, offset: max(p.bleed * 0.25, 2), length: max(p.bleed * 0.7, 8),
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
