/// Something Cairo, Pango, libpng or libtiff refused. Carries the operation and, where there is one, the file.
public struct GraphicsError: Error, Equatable, CustomStringConvertible {
    public enum Library: String, Sendable { case cairo = "Cairo", pango = "Pango", png = "libpng", tiff = "libtiff", fontconfig = "fontconfig" }
    public var library: Library
    public var operation: String
    public var reason: String
    public var path: String?

    public init(_ library: Library, operation: String, reason: String, path: String? = nil) {
        self.library = library
        self.operation = operation
        self.reason = reason
        self.path = path
    }

    public var description: String {
        "\(library.rawValue) error while \(operation)\(path.map { " '\($0)'" } ?? ""): \(reason)"
    }
}
