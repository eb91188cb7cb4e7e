import Foundation

/// An ICC colour profile to embed in PNG and TIFF files, so print labs and colour-managed viewers
/// read the pixels as sRGB without guessing.
public struct ColorProfile: Sendable, Equatable {
    /// The name recorded with the profile (PNG's iCCP keyword).
    public var name: String
    public var bytes: [UInt8]

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    /// Where Debian's `icc-profiles-free` installs its sRGB profile (`make setup` installs it).
    public static let sRGBPath = "/usr/share/color/icc/sRGB.icc"

    /// The sRGB profile, read once from `sRGBPath`; nil when the package is not installed (files
    /// are then tagged with an sRGB chunk alone).
    public static let sRGB: ColorProfile? = load(sRGBPath, name: "sRGB")

    /// Reads a profile file; nil when it is missing or is not an ICC profile (no `acsp` signature).
    public static func load(_ path: String, name: String) -> ColorProfile? {
        guard let data = FileManager.default.contents(atPath: path), data.count >= 128,
              data[36..<40].elementsEqual("acsp".utf8) else { return nil }
        return ColorProfile(name: name, bytes: [UInt8](data))
    }
}
