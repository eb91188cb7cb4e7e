import AtlasCore
import CCairo
import CPango
#if canImport(Glibc)
import Glibc
#endif

/// How a run of text looks. Sizes are in Cairo units (pixels on a raster, points on a PDF).
public struct TextStyle: Sendable, Hashable {
    public var family: String
    public var size: Double
    public var weight: Int
    public var color: RGBColor
    /// Extra space between letters, in em.
    public var letterSpacing: Double

    public init(family: String, size: Double, weight: Int = 400, color: RGBColor, letterSpacing: Double = 0) {
        self.family = family
        self.size = size
        self.weight = weight
        self.color = color
        self.letterSpacing = letterSpacing
    }
}

public enum TextAlignment: String, Sendable, Codable, CaseIterable { case left, center, right }

/// Shapes text with Pango (HarfBuzz, fontconfig fallback) against the pinned fonts.
/// One per render: Pango font maps are not thread-safe.
public final class Typesetter {
    let fontMap: UnsafeMutablePointer<PangoFontMap>
    let context: OpaquePointer
    /// Fixed font options, applied to every Cairo context text is drawn on (Cairo's defaults for
    /// image surfaces hint metrics, which makes spacing uneven).
    let options: OpaquePointer

    public init(fonts: FontLibrary) {
        fontMap = fonts.makeFontMap()
        context = pango_font_map_create_context(fontMap)
        // 72 dpi makes a point a Cairo unit; fixed font options keep glyphs independent of the machine.
        pango_cairo_context_set_resolution(context, 72)
        let options = cairo_font_options_create()!
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        pango_cairo_context_set_font_options(context, options)
        self.options = options
        // Unrounded positions keep letter spacing even at small sizes and under any transform.
        pango_context_set_round_glyph_positions(context, 0)
    }

    /// Uses the process's shared pinned-font configuration.
    public convenience init() throws {
        self.init(fonts: try FontLibrary.shared.get())
    }

    deinit {
        cairo_font_options_destroy(options)
        g_object_unref(UnsafeMutableRawPointer(context))
        g_object_unref(UnsafeMutableRawPointer(fontMap))
    }

    /// Lays out `text`, wrapping at `width` when given.
    public func layout(_ text: String, style: TextStyle, width: Double? = nil, alignment: TextAlignment = .left) -> TextLayout {
        TextLayout(typesetter: self, text: text, style: style, width: width, alignment: alignment)
    }
}

/// A shaped paragraph. Owns its PangoLayout.
public final class TextLayout {
    let pointer: OpaquePointer
    let typesetter: Typesetter
    public let style: TextStyle

    init(typesetter: Typesetter, text: String, style: TextStyle, width: Double?, alignment: TextAlignment) {
        self.typesetter = typesetter
        self.style = style
        pointer = pango_layout_new(typesetter.context)
        let families = ([style.family] + FontLibrary.fallbackFamilies).joined(separator: ",")
        let desc = pango_font_description_new()
        pango_font_description_set_family(desc, families)
        pango_font_description_set_absolute_size(desc, style.size * Double(PANGO_SCALE))
        pango_font_description_set_weight(desc, PangoWeight(rawValue: UInt32(style.weight)))
        pango_layout_set_font_description(pointer, desc)
        pango_font_description_free(desc)
        if style.letterSpacing != 0 {
            let attrs = pango_attr_list_new()
            pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(Int32(style.letterSpacing * style.size * Double(PANGO_SCALE))))
            pango_layout_set_attributes(pointer, attrs)
            pango_attr_list_unref(attrs)
        }
        if let width {
            pango_layout_set_width(pointer, Int32(width * Double(PANGO_SCALE)))
            pango_layout_set_wrap(pointer, PANGO_WRAP_WORD_CHAR)
        }
        switch alignment {
        case .left: pango_layout_set_alignment(pointer, PANGO_ALIGN_LEFT)
        case .center: pango_layout_set_alignment(pointer, PANGO_ALIGN_CENTER)
        case .right: pango_layout_set_alignment(pointer, PANGO_ALIGN_RIGHT)
        }
        pango_layout_set_text(pointer, text, -1)
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(pointer)) }

    /// Logical size in Cairo units.
    public var size: SIMD2<Double> {
        var ink = PangoRectangle(), logical = PangoRectangle()
        pango_layout_get_extents(pointer, &ink, &logical)
        return SIMD2(Double(logical.width), Double(logical.height)) / Double(PANGO_SCALE)
    }

    /// Distance from the top of the layout to the first line's baseline.
    public var baseline: Double { Double(pango_layout_get_baseline(pointer)) / Double(PANGO_SCALE) }

    /// Number of glyphs Pango could not find in any pinned font (drawn as boxes).
    public var unknownGlyphs: Int { Int(pango_layout_get_unknown_glyphs_count(pointer)) }

    fileprivate func prepare(_ d: Drawing) {
        cairo_set_font_options(d.pointer, typesetter.options)
        pango_cairo_update_context(d.pointer, typesetter.context)
        pango_layout_context_changed(pointer)
    }
}

/// Where text sits on a circle.
public enum CircularPlacement: String, Sendable, Codable, CaseIterable {
    /// Reads clockwise along the top, letters standing outside the circle.
    case top
    /// Reads left to right along the bottom, letters hanging outside the circle.
    case bottom
}

extension Drawing {
    /// Draws a paragraph with its top-left corner at `origin`.
    public func draw(_ text: TextLayout, at origin: SIMD2<Double>) {
        withState {
            text.prepare(self)
            setColor(text.style.color)
            move(to: origin)
            pango_cairo_show_layout(pointer, text.pointer)
        }
    }

    /// Fills a glyph outline whose logical box has its top-left corner at `origin`.
    public func fill(_ outline: GlyphOutline, at origin: SIMD2<Double>, color: RGBColor) {
        withState {
            newPath()
            trace(outline) { origin + SIMD2(Double($0.x), Double($0.y)) }
            setColor(color)
            fill()
        }
    }

    /// Fills one line of text bent along a circle, centred on `angle` (radians clockwise from 12
    /// o'clock); `size` is its type size. The shaped outline is warped point by point, so kerning,
    /// ligatures and complex scripts stay exactly as Pango shaped them (give it a flat outline:
    /// curves are warped by their end and control points only).
    public func fill(_ outline: GlyphOutline, around center: SIMD2<Double>, radius: Double, angle: Double,
                     placement: CircularPlacement, size: Double, color: RGBColor) {
        let width = outline.size.x, baseline = outline.baseline
        withState {
            newPath()
            trace(outline) { p in
                let u = Double(p.x) - width / 2, y = Double(p.y)
                let theta: Double, r: Double
                switch placement {
                case .top:
                    theta = angle + u / radius
                    r = radius + (baseline - y)
                case .bottom:
                    theta = angle - u / radius
                    r = radius + (y - baseline) + size * 0.75
                }
                return center + r * SIMD2(sin(theta), -cos(theta))
            }
            setColor(color)
            fill()
        }
    }

    /// Adds `outline`'s path, every point mapped through `map`.
    func trace(_ outline: GlyphOutline, _ map: (SIMD2<Float>) -> SIMD2<Double>) {
        for element in outline.elements {
            switch element {
            case let .move(p): move(to: map(p))
            case let .line(p): line(to: map(p))
            case let .curve(c1, c2, p): curve(to: map(p), control1: map(c1), control2: map(c2))
            case .close: closePath()
            }
        }
    }

}
