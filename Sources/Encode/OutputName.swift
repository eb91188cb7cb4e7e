import AtlasCore
import Foundation

/// The one rule from a latent's name to the stem of its output files (`<stem>.png`, `<stem>.json`, …),
/// used by `render`, `batch` and `index`:
///
/// 1. A name holding NUL, or empty or only white space, is rejected (it names nothing).
/// 2. The name is lower-cased and normalised to Unicode NFC.
/// 3. Letters, combining marks and digits of any script, `.`, `_` and `-` are kept; anything else
///    (path separators, white space, control characters, punctuation, symbols) becomes `-`, and runs
///    of `-` shrink to one.
/// 4. Leading `.` and `-` and trailing `-` are dropped, so no stem is hidden, `.` or `..`.
/// 5. When nothing is left (`🚩`, `...`), the stem is `latent-` and a hash of the name; when the stem
///    is longer than `maximumBytes` in UTF-8, it is cut on a character boundary and given `-` and a
///    hash of the whole name, so distinct long names stay distinct.
///
/// Two latents whose stems are equal would overwrite each other's files: `collision(among:)` finds them
/// before anything is rendered.
public enum OutputName {
    /// Longest stem in UTF-8 bytes: leaves room under the usual 255-byte file-name limit for the
    /// longest suffix (`.painting.png`, `.step-030.png`) and the temporary-file decoration.
    public static let maximumBytes = 160
    /// Hex digits of the hash suffix.
    static let hashDigits = 8

    /// The stem of `name`'s output files, or why `name` cannot name files.
    public static func stem(for name: String) throws -> String {
        if name.unicodeScalars.contains("\0") { throw OutputNameError.containsNUL(name: name) }
        if name.trimmingCharacters(in: .whitespacesAndNewlines.union(.controlCharacters)).isEmpty {
            throw OutputNameError.blank(name: name)
        }
        var out = String.UnicodeScalarView()
        for c in name.lowercased().precomposedStringWithCanonicalMapping.unicodeScalars {
            let keep = c.properties.isAlphabetic || c == "." || c == "_"
                || [.decimalNumber, .nonspacingMark, .spacingMark, .enclosingMark].contains(c.properties.generalCategory)
            let mapped: Unicode.Scalar = keep ? c : "-"
            if mapped == "-", out.last == "-" { continue }
            out.append(mapped)
        }
        var stem = String(out)
        while let first = stem.first, first == "." || first == "-" { stem.removeFirst() }
        while stem.last == "-" { stem.removeLast() }
        if stem.isEmpty { return "latent-" + hash(name) }
        guard stem.utf8.count > maximumBytes else { return stem }
        let room = maximumBytes - 1 - hashDigits
        var cut = ""
        for character in stem {
            if cut.utf8.count + String(character).utf8.count > room { break }
            cut.append(character)
        }
        while cut.last == "-" || cut.last == "." { cut.removeLast() }
        return cut + "-" + hash(name)
    }

    /// The first two names (in order) whose stems are equal, with that stem.
    public static func collision(among names: [String]) throws -> (first: String, second: String, stem: String)? {
        var seen: [String: String] = [:]
        for name in names {
            let s = try stem(for: name)
            if let other = seen[s], other != name { return (other, name, s) }
            seen[s] = name
        }
        return nil
    }

    static func hash(_ name: String) -> String {
        String(StableHash.hex(StableHash.of(name)).prefix(hashDigits))
    }
}

/// A latent name that cannot name output files, or two that would name the same files.
public enum OutputNameError: Error, Equatable, CustomStringConvertible {
    case containsNUL(name: String)
    case blank(name: String)
    case collision(first: String, second: String, stem: String)
    /// The same, with the input that holds the latent.
    indirect case inInput(String, OutputNameError)

    public var description: String {
        switch self {
        case let .containsNUL(name):
            let shown = name.replacingOccurrences(of: "\0", with: "\\0")
            return "the latent name '\(shown)' contains a NUL character; give the latent a name without control characters."
        case let .blank(name):
            return "the latent name '\(name)' is \(name.isEmpty ? "empty" : "blank"); give the latent a name (the header's latent.name, or the file name)."
        case let .collision(first, second, stem):
            return "the latents '\(first)' and '\(second)' would both be written as '\(stem)'; give one a different name."
        case let .inInput(file, inner):
            return "\(file): \(inner.description)"
        }
    }
}
