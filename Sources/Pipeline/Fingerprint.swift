import AtlasCore
import Foundation
import Styles

/// The fingerprint recorded in every manifest: equal fingerprints render equal bytes. Shared by the
/// renderer (which records it) and `atlas batch` (which compares it to skip up-to-date renders).
public enum Fingerprint {
    /// Hash of an input file's bytes, as recorded in the manifest's `input.hash`.
    public static func inputHash(_ bytes: Data) -> String {
        StableHash.hex(StableHash.fnv1a(bytes))
    }

    /// Fingerprint of (input bytes, resolved style, seed, tool version) and, when one replaces the
    /// latent's own, the title.
    public static func of(inputHash: String, style: Style, title: String? = nil) -> String {
        var h = StableHash.combine(StableHash.combine(StableHash.of(inputHash), StableHash.of(style.hash)),
                                   StableHash.combine(style.seed, StableHash.of(ToolVersion.current)))
        // Only mixed in when given, so renders without a title keep the fingerprints they always had.
        if let title { h = StableHash.combine(h, StableHash.of(title)) }
        return StableHash.hex(h)
    }
}
