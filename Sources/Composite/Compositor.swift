import AtlasCore
import Graphics

/// Draws a finished plan, bottom to top: background, regions, circle overlay, typography.
public struct Compositor {
    public var palette: Palette
    public var circle: CircleSettings
    public var typography: TypographySettings

    public init(palette: Palette, circle: CircleSettings, typography: TypographySettings) {
        self.palette = palette
        self.circle = circle
        self.typography = typography
    }

    public func draw(_ plan: AtlasPlan, on d: Drawing, typesetter: Typesetter) throws {
        drawBackground(plan, on: d)
        drawMarks(plan, on: d)
        if circle.show { drawCircle(plan, on: d) }
        drawTypography(plan, on: d, typesetter: typesetter)
        try d.check("compositing the atlas")
    }

    func drawBackground(_ plan: AtlasPlan, on d: Drawing) {
        d.withState {
            d.setColor(palette.background)
            d.paint()
        }
    }

    /// Each region a soft disc: full colour at the centre fading to nothing at its radius, and a
    /// highlight-coloured core whose size follows the highlight strength.
    func drawMarks(_ plan: AtlasPlan, on d: Drawing) {
        for m in plan.marks where m.radius > 0 {
            d.withState {
                var clear = m.color
                clear.alpha = 0
                d.setRadialGradient(center: m.center, inner: 0, outer: m.radius,
                                    stops: [(0, m.color), (0.55, RGBColor(red: m.color.red, green: m.color.green, blue: m.color.blue, alpha: 0.55)), (1, clear)])
                d.circle(center: m.center, radius: m.radius)
                d.fill()
                if m.highlight > 0 {
                    var h = palette.highlight
                    let core = m.radius * 0.45 * m.highlight.squareRoot()
                    var hClear = h
                    hClear.alpha = 0
                    h.alpha = 0.9
                    d.setRadialGradient(center: m.center, inner: 0, outer: core, stops: [(0, h), (1, hClear)])
                    d.circle(center: m.center, radius: core)
                    d.fill()
                }
            }
        }
    }

    func drawCircle(_ plan: AtlasPlan, on d: Drawing) {
        let page = plan.page
        let lw = max(circle.width * page.shortSide, 0.5)
        d.withState {
            d.setLineWidth(lw)
            d.setColor(palette.ink, opacity: circle.opacity)
            d.circle(center: page.center, radius: page.radius)
            d.stroke()
            if circle.innerRings > 0 {
                d.setLineWidth(lw * 0.6)
                d.setColor(palette.ink, opacity: circle.innerOpacity)
                for k in 1...circle.innerRings {
                    d.circle(center: page.center, radius: page.radius * Double(k) / Double(circle.innerRings + 1))
                    d.stroke()
                }
            }
            if circle.ticks > 0 {
                d.setLineWidth(lw * 0.7)
                d.setColor(palette.ink, opacity: circle.opacity)
                let len = circle.tickLength * page.shortSide
                for k in 0..<circle.ticks {
                    let a = 2 * Double.pi * Double(k) / Double(circle.ticks)
                    let dir = SIMD2(sin(a), -cos(a))
                    let major = k % max(circle.ticks / 12, 1) == 0
                    d.move(to: page.center + dir * page.radius)
                    d.line(to: page.center + dir * (page.radius + len * (major ? 2 : 1)))
                    d.stroke()
                }
            }
        }
    }

    func drawTypography(_ plan: AtlasPlan, on d: Drawing, typesetter: Typesetter) {
        let page = plan.page
        let s = page.shortSide
        let gap = (circle.tickLength * 2 + 0.006) * s
        if typography.showTitle {
            let style = TextStyle(family: typography.family, size: typography.titleSize * s, weight: typography.titleWeight,
                                  color: palette.ink, letterSpacing: typography.letterSpacing)
            let title = typesetter.layout(plan.title, style: style)
            if typography.titleOnCircle {
                d.draw(title, around: page.center, radius: page.radius + gap, angle: 0, placement: .top)
                var idStyle = style
                idStyle.size = typography.subtitleSize * s
                idStyle.weight = 400
                let id = typesetter.layout(plan.latentID, style: idStyle)
                d.draw(id, around: page.center, radius: page.radius + gap, angle: Double.pi, placement: .bottom)
            } else {
                let width = title.size.x
                d.draw(title, at: SIMD2(page.center.x - width / 2, gap))
            }
        }
        let corner = 0.025 * s
        if typography.showSubtitle, !plan.subtitle.isEmpty {
            let style = TextStyle(family: typography.family, size: typography.bodySize * s, weight: 500, color: palette.ink,
                                  letterSpacing: typography.letterSpacing / 2)
            d.draw(typesetter.layout(plan.subtitle, style: style, width: page.width * 0.4), at: SIMD2(corner, corner))
        }
        if let caption = plan.caption, !caption.isEmpty {
            let style = TextStyle(family: typography.family, size: typography.bodySize * s, weight: 400, color: palette.ink)
            let block = typesetter.layout(caption, style: style, width: page.width * 0.32)
            d.draw(block, at: SIMD2(corner, page.height - corner - block.size.y))
        }
        if typography.showCredits, !typography.credits.isEmpty {
            let style = TextStyle(family: typography.family, size: typography.bodySize * s, weight: 400, color: palette.ink,
                                  letterSpacing: typography.letterSpacing / 2)
            let block = typesetter.layout(typography.credits, style: style, alignment: .right)
            d.draw(block, at: SIMD2(page.width - corner - block.size.x, page.height - corner - block.size.y))
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
