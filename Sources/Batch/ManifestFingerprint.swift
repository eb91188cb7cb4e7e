import Foundation

/// Reads only the `fingerprint` of a render manifest. Manifests list every context, so the
/// up-to-date check finds the top-level key in the bytes instead of decoding the whole document,
/// and looks in the last few kilobytes first: keys are sorted, so `fingerprint` comes after
/// `contexts`, and a batch on shared storage reads a fraction of each manifest.
public enum ManifestFingerprint {
    static let tailBytes: UInt64 = 8192

    /// The manifest is pretty-printed: a top-level key is the only place a line starts with two spaces
    /// and `"fingerprint"` (inside strings, newlines and quotes are escaped).
    static let marker = Array("\n  \"fingerprint\"".utf8)

    public static func read(_ path: String) -> String? {
        guard let file = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? file.close() }
        guard let size = try? file.seekToEnd() else { return nil }
        if size > tailBytes {
            try? file.seek(toOffset: size - tailBytes)
            if let tail = try? file.readToEnd(), let fingerprint = scan(tail) { return fingerprint }
        }
        try? file.seek(toOffset: 0)
        guard let data = try? file.readToEnd() else { return nil }
        return scan(data) ?? decode(data)
    }

    static func scan(_ data: Data) -> String? {
        guard let key = data.range(of: Data(marker)) else { return nil }
        var i = key.upperBound
        while i < data.endIndex, data[i] == 0x20 || data[i] == 0x3a { i += 1 }
        guard i < data.endIndex, data[i] == 0x22,
              let end = data[(i + 1)...].firstIndex(of: 0x22) else { return nil }
        return String(decoding: data[(i + 1)..<end], as: UTF8.self)
    }

    /// For a manifest written some other way (compact, hand-edited).
    static func decode(_ data: Data) -> String? {
        struct Head: Decodable { var fingerprint: String }
        return try? JSONDecoder().decode(Head.self, from: data).fingerprint
    }
}
