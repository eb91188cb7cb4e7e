import AtlasCore
import CCairo

/// A Cairo drawing context on one surface. Owns its pointer; keeps the surface alive.
public final class Drawing {
    let pointer: OpaquePointer
    public let surface: Surface

    public init(_ surface: Surface) throws {
        let cr = cairo_create(surface.pointer)!
        let status = cairo_status(cr)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_destroy(cr)
            throw GraphicsError(.cairo, operation: "creating a drawing context", reason: Surface.describe(status), path: surface.path)
        }
        pointer = cr
        self.surface = surface
    }

    deinit { cairo_destroy(pointer) }

    /// Throws the context's sticky error, if any (Cairo records the first failure and ignores later calls).
    public func check(_ operation: String) throws {
        let status = cairo_status(pointer)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw GraphicsError(.cairo, operation: operation, reason: Surface.describe(status), path: surface.path)
        }
    }

    /// Runs `body` between save and restore.
    public func withState<R>(_ body: () throws -> R) rethrows -> R {
        cairo_save(pointer)
        defer { cairo_restore(pointer) }
        return try body()
    }

    // MARK: Transform
    public func translate(_ x: Double, _ y: Double) { cairo_translate(pointer, x, y) }
    public func scale(_ x: Double, _ y: Double) { cairo_scale(pointer, x, y) }

    // MARK: Paint source
    public func setColor(_ c: RGBColor, opacity: Double = 1) {
        cairo_set_source_rgba(pointer, c.red, c.green, c.blue, c.alpha * opacity)
    }

    /// A radial gradient from `inner` to `outer` radius around a centre.
    public func setRadialGradient(center: SIMD2<Double>, inner: Double, outer: Double, stops: [(offset: Double, color: RGBColor)]) {
        let pattern = cairo_pattern_create_radial(center.x, center.y, inner, center.x, center.y, outer)!
        for s in stops {
            cairo_pattern_add_color_stop_rgba(pattern, s.offset, s.color.red, s.color.green, s.color.blue, s.color.alpha)
        }
        cairo_set_source(pointer, pattern)
        cairo_pattern_destroy(pattern)
    }

    /// Uses an image surface as the source, placed with its top-left at (x, y) and scaled.
    public func setSource(_ image: Surface, x: Double = 0, y: Double = 0, scale: Double = 1, smooth: Bool = true) {
        cairo_translate(pointer, x, y)
        cairo_scale(pointer, scale, scale)
        cairo_set_source_surface(pointer, image.pointer, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(pointer), smooth ? CAIRO_FILTER_GOOD : CAIRO_FILTER_NEAREST)
        cairo_scale(pointer, 1 / scale, 1 / scale)
        cairo_translate(pointer, -x, -y)
    }

    // MARK: Paths
    public func newPath() { cairo_new_path(pointer) }
    public func move(to p: SIMD2<Double>) { cairo_move_to(pointer, p.x, p.y) }
    public func line(to p: SIMD2<Double>) { cairo_line_to(pointer, p.x, p.y) }
    public func curve(to p: SIMD2<Double>, control1 c1: SIMD2<Double>, control2 c2: SIMD2<Double>) {
        cairo_curve_to(pointer, c1.x, c1.y, c2.x, c2.y, p.x, p.y)
    }
    public func closePath() { cairo_close_path(pointer) }
    public func circle(center: SIMD2<Double>, radius: Double) {
        cairo_new_sub_path(pointer)
        cairo_arc(pointer, center.x, center.y, radius, 0, 2 * Double.pi)
    }
    public func rectangle(x: Double, y: Double, width: Double, height: Double) {
        cairo_rectangle(pointer, x, y, width, height)
    }

    // MARK: Drawing
    public func setLineWidth(_ w: Double) { cairo_set_line_width(pointer, w) }
    public func setRoundCaps() {
        cairo_set_line_cap(pointer, CAIRO_LINE_CAP_ROUND)
        cairo_set_line_join(pointer, CAIRO_LINE_JOIN_ROUND)
    }
    public func fill(preserve: Bool = false) { preserve ? cairo_fill_preserve(pointer) : cairo_fill(pointer) }
    public func stroke(preserve: Bool = false) { preserve ? cairo_stroke_preserve(pointer) : cairo_stroke(pointer) }
    /// Restricts drawing to the current path (until the state is restored).
    public func clip() { cairo_clip(pointer) }
    public func paint(opacity: Double = 1) { opacity >= 1 ? cairo_paint(pointer) : cairo_paint_with_alpha(pointer, opacity) }
}
