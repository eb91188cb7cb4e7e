import AtlasCore
import CCairo

/// A Cairo surface: an in-memory ARGB32 raster, a PDF page or an SVG document. Owns its pointer.
public final class Surface {
    public enum Kind: Sendable { case image, pdf, svg }

    let pointer: OpaquePointer
    public let kind: Kind
    /// Size in Cairo units (pixels for images, points for PDF/SVG).
    public let width: Double
    public let height: Double
    let path: String?

    private init(pointer: OpaquePointer, kind: Kind, width: Double, height: Double, path: String?, operation: String) throws {
        let status = cairo_surface_status(pointer)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(pointer)
            throw GraphicsError(.cairo, operation: operation, reason: Surface.describe(status), path: path)
        }
        self.pointer = pointer
        self.kind = kind
        self.width = width
        self.height = height
        self.path = path
    }

    deinit { cairo_surface_destroy(pointer) }

    /// Cairo's raster limit per side.
    public static let maximumImageSide = 32767

    /// A transparent ARGB32 raster.
    public static func image(width: Int, height: Int) throws -> Surface {
        guard (1...maximumImageSide).contains(width), (1...maximumImageSide).contains(height) else {
            throw GraphicsError(.cairo, operation: "creating a \(width)×\(height) image",
                                reason: "each side must be 1…\(maximumImageSide) pixels; larger canvases render in tiles")
        }
        return try Surface(pointer: cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)),
                           kind: .image, width: Double(width), height: Double(height), path: nil,
                           operation: "creating a \(width)×\(height) image")
    }

    /// An opaque raster holding `image` (premultiplied into Cairo's native BGRA layout).
    public static func image(_ image: RGBAImage) throws -> Surface {
        let s = try Surface.image(width: image.width, height: image.height)
        s.withPixels { data, stride in
            image.pixels.withUnsafeBufferPointer { src in
                for y in 0..<image.height {
                    let row = data.advanced(by: y * stride).assumingMemoryBound(to: UInt32.self)
                    for x in 0..<image.width {
                        let i = (y * image.width + x) * 4
                        let a = UInt32(src[i + 3])
                        @inline(__always) func pm(_ c: UInt8) -> UInt32 { (UInt32(c) * a + 127) / 255 }
                        row[x] = a << 24 | pm(src[i]) << 16 | pm(src[i + 1]) << 8 | pm(src[i + 2])
                    }
                }
            }
        }
        return s
    }

    /// A one-page PDF of the given size in points (1/72 inch). The creation date is left out so
    /// the same render gives the same bytes.
    public static func pdf(path: String, widthPoints: Double, heightPoints: Double) throws -> Surface {
        let s = try Surface(pointer: cairo_pdf_surface_create(path, widthPoints, heightPoints), kind: .pdf,
                            width: widthPoints, height: heightPoints, path: path, operation: "creating a PDF")
        cairo_pdf_surface_set_metadata(s.pointer, CAIRO_PDF_METADATA_CREATE_DATE, "")
        cairo_pdf_surface_set_metadata(s.pointer, CAIRO_PDF_METADATA_CREATOR, "LatentAtlas")
        return s
    }

    /// An SVG document of the given size in points.
    public static func svg(path: String, widthPoints: Double, heightPoints: Double) throws -> Surface {
        let s = try Surface(pointer: cairo_svg_surface_create(path, widthPoints, heightPoints), kind: .svg,
                            width: widthPoints, height: heightPoints, path: path, operation: "creating an SVG")
        cairo_svg_surface_restrict_to_version(s.pointer, CAIRO_SVG_VERSION_1_2)
        return s
    }

    /// Lends the raster's bytes (BGRA premultiplied, native-endian ARGB32) and row stride.
    public func withPixels<R>(_ body: (UnsafeMutableRawPointer, Int) throws -> R) rethrows -> R {
        precondition(kind == .image, "only image surfaces have pixels")
        cairo_surface_flush(pointer)
        defer { cairo_surface_mark_dirty(pointer) }
        return try body(cairo_image_surface_get_data(pointer)!, Int(cairo_image_surface_get_stride(pointer)))
    }

    /// Copies opaque float pixels into rows starting at `y` (the image must be as wide as the surface).
    public func fill(rows y: Int, from image: FloatImage) {
        precondition(image.width == Int(width) && y + image.height <= Int(height), "fill outside the surface")
        withPixels { data, stride in
            image.values.withUnsafeBufferPointer { v in
                for row in 0..<image.height {
                    let out = data.advanced(by: (y + row) * stride).assumingMemoryBound(to: UInt32.self)
                    for x in 0..<image.width {
                        let i = (row * image.width + x) * 3
                        @inline(__always) func q(_ f: Float) -> UInt32 { UInt32(min(max(f, 0), 1) * 255 + 0.5) }
                        out[x] = 0xff00_0000 | q(v[i]) << 16 | q(v[i + 1]) << 8 | q(v[i + 2])
                    }
                }
            }
        }
    }

    /// The raster as straight-alpha RGBA.
    public func rgbaImage() -> RGBAImage {
        let w = Int(width), h = Int(height)
        var out = [UInt8](repeating: 0, count: w * h * 4)
        withPixels { data, stride in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    let row = data.advanced(by: y * stride).assumingMemoryBound(to: UInt32.self)
                    for x in 0..<w {
                        let p = row[x]
                        let a = p >> 24
                        let i = (y * w + x) * 4
                        @inline(__always) func un(_ c: UInt32) -> UInt8 { a == 0 ? 0 : UInt8(min(255, (c * 255 + a / 2) / a)) }
                        dst[i] = un((p >> 16) & 0xff)
                        dst[i + 1] = un((p >> 8) & 0xff)
                        dst[i + 2] = un(p & 0xff)
                        dst[i + 3] = UInt8(a)
                    }
                }
            }
        }
        return RGBAImage(width: w, height: h, pixels: out)
    }

    /// Writes the raster with Cairo's own PNG writer. Renders use `PNGWriter` (DPI, colour and text
    /// chunks, 16-bit, streaming); this is kept as the speed reference for the benchmark.
    public func writeCairoPNG(to path: String) throws {
        let status = cairo_surface_write_to_png(pointer, path)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw GraphicsError(.cairo, operation: "writing a PNG", reason: Surface.describe(status), path: path)
        }
    }

    /// Completes a PDF or SVG document and reports any error writing it.
    public func finish() throws {
        cairo_surface_finish(pointer)
        let status = cairo_surface_status(pointer)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw GraphicsError(.cairo, operation: "finishing the document", reason: Surface.describe(status), path: path)
        }
    }

    static func describe(_ status: cairo_status_t) -> String {
        String(cString: cairo_status_to_string(status))
    }
}
