import AtlasCore
import CCairo
import CPango

/// The outline of a shaped run of text as plain data: made once while planning (Pango is not
/// thread-safe), then filled at any scale, in any band, on any thread.
public struct GlyphOutline: Sendable, Equatable {
    public enum Element: Sendable, Equatable {
        case move(SIMD2<Float>)
        case line(SIMD2<Float>)
        case curve(SIMD2<Float>, SIMD2<Float>, SIMD2<Float>)
        case close
    }

    /// In layout units, origin at the top-left of the run's logical box.
    public var elements: [Element]
    /// Logical advance width and line height.
    public var size: SIMD2<Double>
    /// Distance from the top of the logical box to the baseline.
    public var baseline: Double

    public init(elements: [Element], size: SIMD2<Double>, baseline: Double) {
        self.elements = elements
        self.size = size
        self.baseline = baseline
    }
}

extension Typesetter {
    /// The outline of `text` in `style` (colour ignored), wrapped at `width` when given. `flat`
    /// gives lines only (for outlines that are warped point by point).
    public func outline(_ text: String, style: TextStyle, width: Double? = nil, alignment: TextAlignment = .left,
                        flat: Bool = false) -> GlyphOutline {
        let layout = self.layout(text, style: style, width: width, alignment: alignment)
        let recording = cairo_recording_surface_create(CAIRO_CONTENT_ALPHA, nil)!
        defer { cairo_surface_destroy(recording) }
        let cr = cairo_create(recording)!
        defer { cairo_destroy(cr) }
        cairo_set_font_options(cr, options)
        pango_cairo_update_context(cr, context)
        pango_layout_context_changed(layout.pointer)
        cairo_move_to(cr, 0, 0)
        pango_cairo_layout_path(cr, layout.pointer)
        var elements: [GlyphOutline.Element] = []
        if let path = flat ? cairo_copy_path_flat(cr) : cairo_copy_path(cr) {
            defer { cairo_path_destroy(path) }
            var i = 0
            let count = Int(path.pointee.num_data)
            elements.reserveCapacity(count / 2)
            func point(_ k: Int) -> SIMD2<Float> {
                let p = path.pointee.data[i + k].point
                return SIMD2(Float(p.x), Float(p.y))
            }
            while i < count {
                let header = path.pointee.data[i].header
                switch header.type {
                case CAIRO_PATH_MOVE_TO: elements.append(.move(point(1)))
                case CAIRO_PATH_LINE_TO: elements.append(.line(point(1)))
                case CAIRO_PATH_CURVE_TO: elements.append(.curve(point(1), point(2), point(3)))
                case CAIRO_PATH_CLOSE_PATH: elements.append(.close)
                default: break
                }
                i += Int(header.length)
            }
        }
        return GlyphOutline(elements: elements, size: layout.size, baseline: layout.baseline)
    }

    /// Logical advance width of one line of `text` (cheaper than an outline).
    public func advance(_ text: String, style: TextStyle) -> Double {
        layout(text, style: style).size.x
    }
}

/// Two coverage channels rasterised from glyph outlines: ink (every glyph) and a weighted channel
/// (each glyph's own value, e.g. its highlight weight).
public enum GlyphMask {
    /// A glyph outline placed on the output: `origin` is the top-left of its logical box in output
    /// pixels, `scale` multiplies layout units, `value` goes into the weighted channel.
    public struct Placement: Sendable {
        public var outline: Int
        public var origin: SIMD2<Double>
        public var scale: Double
        public var value: Double

        public init(outline: Int, origin: SIMD2<Double>, scale: Double, value: Double) {
            self.outline = outline
            self.origin = origin
            self.scale = scale
            self.value = value
        }
    }

    /// Coverage of `rect` (in pixels of a canvas `zoom` times the output) as (ink, weighted) pairs,
    /// row-major. Placements whose boxes miss the rect are skipped by the caller's `candidates`.
    public static func render(_ outlines: [GlyphOutline], placements: [Placement], candidates: [Int],
                              rect: PixelRect, zoom: Double) throws -> [SIMD2<Float>] {
        var out = [SIMD2<Float>](repeating: .zero, count: rect.width * rect.height)
        guard !candidates.isEmpty else { return out }
        let surface = try Surface.image(width: rect.width, height: rect.height)
        let cr = try Drawing(surface)
        let p = cr.pointer
        cairo_set_antialias(p, CAIRO_ANTIALIAS_GRAY)
        cairo_set_fill_rule(p, CAIRO_FILL_RULE_WINDING)
        for index in candidates {
            let placement = placements[index]
            let s = placement.scale * zoom
            let ox = placement.origin.x * zoom - Double(rect.x), oy = placement.origin.y * zoom - Double(rect.y)
            cairo_new_path(p)
            for e in outlines[placement.outline].elements {
                switch e {
                case .move(let a): cairo_move_to(p, ox + Double(a.x) * s, oy + Double(a.y) * s)
                case .line(let a): cairo_line_to(p, ox + Double(a.x) * s, oy + Double(a.y) * s)
                case .curve(let a, let b, let c):
                    cairo_curve_to(p, ox + Double(a.x) * s, oy + Double(a.y) * s, ox + Double(b.x) * s, oy + Double(b.y) * s,
                                   ox + Double(c.x) * s, oy + Double(c.y) * s)
                case .close: cairo_close_path(p)
                }
            }
            cairo_set_source_rgba(p, 1, min(max(placement.value, 0), 1), 0, 1)
            cairo_fill(p)
        }
        try cr.check("rasterising glyph masks")
        surface.withPixels { data, stride in
            out.withUnsafeMutableBufferPointer { o in
                for y in 0..<rect.height {
                    let row = data.advanced(by: y * stride).assumingMemoryBound(to: UInt32.self)
                    for x in 0..<rect.width {
                        let px = row[x]
                        o[y * rect.width + x] = SIMD2(Float((px >> 16) & 0xff), Float((px >> 8) & 0xff)) * (1 / 255)
                    }
                }
            }
        }
        return out
    }
}
