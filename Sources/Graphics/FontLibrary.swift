import CPango
import Foundation

/// The fonts renders may use, and nothing else: a private fontconfig configuration lists only the
/// pinned font packages, so the same style renders the same on every machine whatever else is installed.
public final class FontLibrary: @unchecked Sendable {
    /// Font files (globs) the styles may name, from Debian's font packages installed by `make setup`.
    public static let pinnedFonts: [String] = [
        "/usr/share/fonts/opentype/inter/Inter-*.otf",            // fonts-inter: Latin text
        "/usr/share/fonts/opentype/inter/InterDisplay-*.otf",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc",       // fonts-noto-cjk: CJK fallback
        "/usr/share/fonts/truetype/noto/NotoSansArabic-*.ttf",    // fonts-noto-core: Arabic fallback
        "/usr/share/fonts/truetype/noto/NotoSans-*.ttf",          // fonts-noto-core: Latin/Greek/Cyrillic fallback
        "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",      // fonts-noto-color-emoji
    ]

    /// Fallback families appended to every font description, in order.
    public static let fallbackFamilies = ["Noto Sans", "Noto Sans CJK SC", "Noto Sans Arabic", "Noto Color Emoji"]

    let config: OpaquePointer

    /// The one configuration of this process (building it scans the font files once).
    public static let shared: Result<FontLibrary, GraphicsError> = Result { () throws(GraphicsError) in try FontLibrary() }

    private init() throws(GraphicsError) {
        guard let config = FcConfigCreate() else {
            throw GraphicsError(.fontconfig, operation: "creating a font configuration", reason: "out of memory")
        }
        let dirs = Set(Self.pinnedFonts.map { ($0 as NSString).deletingLastPathComponent })
        let cache = (NSTemporaryDirectory() as NSString).appendingPathComponent("latentatlas-fontconfig-cache")
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE fontconfig SYSTEM \"fonts.dtd\"><fontconfig>"
        for d in dirs.sorted() { xml += "<dir>\(d)</dir>" }
        xml += "<cachedir>\(cache)</cachedir><selectfont><rejectfont><glob>*</glob></rejectfont><acceptfont>"
        for g in Self.pinnedFonts { xml += "<glob>\(g)</glob>" }
        xml += "</acceptfont></selectfont></fontconfig>"
        let parsed = xml.withCString { FcConfigParseAndLoadFromMemory(config, UnsafePointer<FcChar8>(OpaquePointer($0)), 1) }
        guard parsed != 0, FcConfigBuildFonts(config) != 0 else {
            FcConfigDestroy(config)
            throw GraphicsError(.fontconfig, operation: "loading the pinned fonts", reason: "the private configuration was rejected")
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
