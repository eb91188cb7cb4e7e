/// The one escaping function per output language: every string from input that goes into an HTML
/// page, a URL, a stylesheet or inline JSON passes through exactly one of these, chosen by where it
/// lands. Swift strings hold Unicode scalars only, so a lone surrogate in the input has already
/// become U+FFFD by the time it reaches here; what is left is shown literally, never interpreted.
public enum Escaping {
    /// For HTML element content (`<p>…</p>`): `&`, `<`, `>` and both quotes become character
    /// references, NUL (a parse error) becomes U+FFFD.
    public static func htmlText(_ s: String) -> String {
        replacing(s, htmlReference)
    }

    /// What `htmlText` puts for a scalar, nil to keep it.
    private static func htmlReference(_ scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "&": return "&amp;"
        case "<": return "&lt;"
        case ">": return "&gt;"
        case "\"": return "&quot;"
        case "'": return "&#39;"
        case "\u{0}": return "\u{FFFD}"
        default: return nil
        }
    }

    /// For a double-quoted HTML attribute value (`title="…"`): as `htmlText`, plus the backtick
    /// (old IE treated it as a quote) and `=`, so the value can never close the attribute.
    public static func htmlAttribute(_ s: String) -> String {
        replacing(s) { scalar in
            switch scalar {
            case "`": return "&#96;"
            case "=": return "&#61;"
            default: return htmlReference(scalar)
            }
        }
    }

    /// One path component of a relative URL (a file name): every UTF-8 byte but the unreserved
    /// `A–Z a–z 0–9 - . _ ~` is percent-encoded, so `/`, `?`, `#`, `:` (no `javascript:` scheme),
    /// quotes and spaces cannot change what the URL means. `.` and `..` become `%2E` and `%2E%2E`,
    /// so a component never climbs a folder.
    public static func urlPathComponent(_ s: String) -> String {
        if s == "." { return "%2E" }
        if s == ".." { return "%2E%2E" }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        let hex = Array("0123456789ABCDEF")
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out.append("%")
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            }
        }
        return out
    }

    /// A relative URL from path components (`["latent", "tile 0.png"]` → `latent/tile%200.png`),
    /// each percent-encoded on its own.
    public static func urlPath(_ components: [String]) -> String {
        components.map(urlPathComponent).joined(separator: "/")
    }

    /// JSON text made safe inside `<script type="application/json">`: `<`, `>` and `&` (so neither
    /// `</script>` nor `<!--` can end or change the element), and U+2028/U+2029 (line terminators
    /// in older JavaScript) become `\u` escapes. These characters can only occur inside JSON
    /// strings, where the escapes mean the same characters, so `JSON.parse` returns the same value.
    public static func jsonForScript(_ json: String) -> String {
        replacing(json) { scalar in
            switch scalar {
            case "<": return "\\u003c"
            case ">": return "\\u003e"
            case "&": return "\\u0026"
            case "\u{2028}": return "\\u2028"
            case "\u{2029}": return "\\u2029"
            default: return nil
            }
        }
    }

    /// `s` with each scalar `replacement` names replaced, the rest kept as they are.
    private static func replacing(_ s: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            if let r = replacement(scalar) { out += r } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// A double-quoted CSS string (a font family): everything but ASCII letters, digits, space and
    /// `-` becomes a CSS hex escape, so the value cannot close the string, the rule or the element.
    public static func cssString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", " ", "-": out.unicodeScalars.append(scalar)
            case "\u{0}": out += "\\FFFD "
            default: out += "\\" + String(scalar.value, radix: 16, uppercase: true) + " "
            }
        }
        return out + "\""
    }
}
