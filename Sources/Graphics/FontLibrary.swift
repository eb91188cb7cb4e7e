import AtlasCore
import CPango
import Foundation

/// The fonts renders may use, and nothing else: the private fontconfig configuration
/// `Fonts/fonts.conf` (found from the executable, see `Resources`) lists only the pinned font
/// packages, so the same style renders the same on every machine whatever else is installed.
public final class FontLibrary: @unchecked Sendable {
    /// Fallback families appended to every font description, in order.
    public static let fallbackFamilies = ["Noto Sans", "Noto Sans CJK SC", "Noto Sans Arabic", "Noto Color Emoji"]

    /// Where the configuration is read from, when the executable has a resource folder.
    public static let configurationPath: String? = Resources.path("Fonts/fonts.conf")

    let config: OpaquePointer

    /// The one configuration of this process (building it scans the font files once).
    public static let shared: Result<FontLibrary, GraphicsError> = Result { () throws(GraphicsError) in try FontLibrary() }

    private init() throws(GraphicsError) {
        let operation = "reading the font configuration"
        guard let path = Self.configurationPath else {
            throw GraphicsError(.fontconfig, operation: operation, reason: "no share/latentatlas folder beside the executable "
                + "holds Fonts/fonts.conf; run an atlas installed with 'make install PREFIX=...' or built in its checkout")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw GraphicsError(.fontconfig, operation: operation, reason: "the file is missing; 'make install' copies it there", path: path)
        }
        guard let config = FcConfigCreate() else {
            throw GraphicsError(.fontconfig, operation: "creating a font configuration", reason: "out of memory")
        }
        let cache = (NSTemporaryDirectory() as NSString).appendingPathComponent("latentatlas-fontconfig-cache")
        let cacheXML = "<?xml version=\"1.0\"?><!DOCTYPE fontconfig SYSTEM \"fonts.dtd\"><fontconfig><cachedir>\(cache)</cachedir></fontconfig>"
        let parsed = path.withCString { FcConfigParseAndLoad(config, UnsafePointer<FcChar8>(OpaquePointer($0)), 1) } != 0
            && cacheXML.withCString { FcConfigParseAndLoadFromMemory(config, UnsafePointer<FcChar8>(OpaquePointer($0)), 1) } != 0
        guard parsed, FcConfigBuildFonts(config) != 0 else {
            FcConfigDestroy(config)
            throw GraphicsError(.fontconfig, operation: operation, reason: "fontconfig rejected it (its complaint is printed above)", path: path)
        }
        self.config = config
    }

    deinit { FcConfigDestroy(config) }

    /// Families available under the private configuration (for diagnostics and tests).
    public func families() -> [String] {
        guard let set = FcConfigGetFonts(config, FcSetSystem) else { return [] }
        var names = Set<String>()
        let count = Int(set.pointee.nfont)
        for i in 0..<count {
            guard let pattern = set.pointee.fonts[i] else { continue }
            var value: UnsafeMutablePointer<FcChar8>?
            if FcPatternGetString(pattern, FC_FAMILY, 0, &value) == FcResultMatch, let v = value {
                names.insert(String(cString: v))
            }
        }
        return names.sorted()
    }

    /// A new Pango font map over this configuration. Font maps are not thread-safe, so each render
    /// makes its own.
    func makeFontMap() -> UnsafeMutablePointer<PangoFontMap> {
        let map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT)!
        pango_fc_font_map_set_config(OpaquePointer(map), config)
        return map
    }
}
